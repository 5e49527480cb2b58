namespace Runc.Sharp.Spec;

/// <summary>One problem found in a config, at a JSON path such as "linux.namespaces[2].type".</summary>
public readonly record struct ValidationError(string Path, string Problem)
{
    public override string ToString() => Path.Length == 0 ? Problem : $"{Path}: {Problem}";
}

/// <summary>
/// Validates a parsed config as a list of small, independent checks. Each check yields
/// errors naming the JSON path, so a user can find the offending element.
/// </summary>
public static class SpecValidator
{
    private delegate IEnumerable<ValidationError> Check(RuntimeSpec spec);

    private static readonly Check[] Checks =
    [
        ProcessChecks.OciVersion,
        ProcessChecks.Root,
        ProcessChecks.ProcessPresent,
        ProcessChecks.Args,
        ProcessChecks.Cwd,
        ProcessChecks.Env,
        ProcessChecks.Rlimits,
        ProcessChecks.OomScoreAdj,
        ProcessChecks.IoPriorityValues,
        ProcessChecks.SchedulerPolicy,
        MountChecks.Destinations,
        MountChecks.IdMappedMounts,
        HookChecks.Paths,
        LinuxChecks.Namespaces,
        LinuxChecks.IdMappingsNeedUserNamespace,
        LinuxChecks.HostnameNeedsUts,
        LinuxChecks.NetDevices,
        LinuxChecks.TimeOffsets,
        LinuxChecks.Devices,
        LinuxChecks.DeviceRules,
        LinuxChecks.Sysctl,
        LinuxChecks.RootfsPropagation,
        LinuxChecks.AbsolutePathLists,
        LinuxChecks.Personality,
        LinuxChecks.MemoryPolicy,
        LinuxChecks.Seccomp,
    ];

    public static IReadOnlyList<ValidationError> Validate(RuntimeSpec spec)
    {
        // The other checks assume no null elements; report those alone first.
        var errors = NullChecks.Elements(spec).ToList();
        if (errors.Count > 0)
            return errors;
        foreach (var check in Checks)
            errors.AddRange(check(spec));
        return errors;
    }

    /// <summary>Throws the first error as a <see cref="ConfigError"/> ("config.json: path: problem").</summary>
    public static void ThrowIfInvalid(RuntimeSpec spec, string document = SpecReader.ConfigFileName)
    {
        var errors = Validate(spec);
        if (errors.Count > 0)
            throw new ConfigError($"{document}: {errors[0]}");
    }
}
