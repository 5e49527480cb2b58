namespace Runc.Sharp.Spec;

internal static class MountChecks
{
    public static IEnumerable<ValidationError> Destinations(RuntimeSpec s)
    {
        var mounts = s.Mounts;
        for (int i = 0; mounts is not null && i < mounts.Count; i++)
        {
            // A relative destination is taken relative to "/" (config.md "mounts").
            if (string.IsNullOrEmpty(mounts[i].Destination))
                yield return new($"mounts[{i}].destination", "must not be empty");
        }
    }

    public static IEnumerable<ValidationError> IdMappedMounts(RuntimeSpec s)
    {
        var mounts = s.Mounts;
        for (int i = 0; mounts is not null && i < mounts.Count; i++)
        {
            bool hasUid = mounts[i].UidMappings is { Count: > 0 };
            bool hasGid = mounts[i].GidMappings is { Count: > 0 };
            if (hasUid != hasGid)
                yield return new($"mounts[{i}]", "uidMappings and gidMappings must be given together");
            else if (hasUid && !MountOptions.IsBind(mounts[i]))
                yield return new($"mounts[{i}]", "id-mapped mounts need a bind mount");
        }
    }
}
