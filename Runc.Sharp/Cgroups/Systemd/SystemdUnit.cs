namespace Runc.Sharp.Cgroups.Systemd;

/// <summary>
/// A container's systemd unit from linux.cgroupsPath "slice:prefix:name", with runc's rules:
/// a scope "prefix-name.scope" in the slice (system.slice when empty). Without a cgroupsPath:
/// "system.slice:runcs:&lt;id&gt;". A name ending in ".slice" (runc then makes the container a
/// slice) is refused.
/// </summary>
public sealed record SystemdUnit(string Slice, string Name)
{
    public const string DefaultSlice = "system.slice";

    public static SystemdUnit Parse(string? cgroupsPath, string id)
    {
        if (string.IsNullOrEmpty(cgroupsPath))
            return new SystemdUnit(DefaultSlice, $"runcs-{id}.scope");
        var parts = cgroupsPath.Split(':');
        if (parts.Length != 3)
            throw new RuncsException($"linux.cgroupsPath \"{cgroupsPath}\": expected \"slice:prefix:name\" for systemd cgroups");
        var (slice, prefix, name) = (parts[0], parts[1], parts[2]);
        if (name.Length == 0)
            throw new RuncsException($"linux.cgroupsPath \"{cgroupsPath}\": the name part is empty");
        if (slice.Length == 0)
            slice = DefaultSlice;
        if (name.EndsWith(".slice", StringComparison.Ordinal))
            throw new RuncsException($"linux.cgroupsPath \"{cgroupsPath}\": a slice as the container's own unit is not supported, only a scope");
        return Checked(new SystemdUnit(slice, prefix.Length == 0 ? $"{name}.scope" : $"{prefix}-{name}.scope"), cgroupsPath);
    }

    private static SystemdUnit Checked(SystemdUnit unit, string cgroupsPath)
    {
        SlicePath(unit.Slice, cgroupsPath);
        if (unit.Name.Contains('/'))
            throw new RuncsException($"linux.cgroupsPath \"{cgroupsPath}\": a unit name cannot contain \"/\"");
        return unit;
    }

    /// <summary>The scope's cgroup below each hierarchy's root: the slice's path, then the scope.</summary>
    public string CgroupPath => SlicePath(Slice, Slice).TrimEnd('/') + "/" + Name;

    /// <summary>systemd's slice nesting: "a-b-c.slice" is /a.slice/a-b.slice/a-b-c.slice; "-.slice" is the root.</summary>
    public static string SlicePath(string slice, string cgroupsPath)
    {
        if (slice == "-.slice")
            return "/";
        if (!slice.EndsWith(".slice", StringComparison.Ordinal) || slice.Contains('/'))
            throw new RuncsException($"linux.cgroupsPath \"{cgroupsPath}\": \"{slice}\" is not a slice name");
        var stem = slice[..^".slice".Length];
        if (stem.Length == 0 || stem.StartsWith('-') || stem.EndsWith('-') || stem.Contains("--"))
            throw new RuncsException($"linux.cgroupsPath \"{cgroupsPath}\": \"{slice}\" is not a valid slice name");
        var path = "";
        var prefix = "";
        foreach (var part in stem.Split('-'))
        {
            prefix = prefix.Length == 0 ? part : prefix + "-" + part;
            path += "/" + prefix + ".slice";
        }
        return path;
    }
}
