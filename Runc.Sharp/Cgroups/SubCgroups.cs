namespace Runc.Sharp.Cgroups;

/// <summary>
/// `exec --cgroup [controller[,controller…]:]path`: an exec placed in existing sub-cgroups of
/// the container's, with runc's forms and words. A bare path applies to every hierarchy (the
/// only form on cgroup v2); controller prefixes to those controllers only.
/// </summary>
public static class SubCgroups
{
    /// <summary>The --cgroup arguments as controller → relative path ("" for the bare form); empty for none.</summary>
    public static IReadOnlyDictionary<string, string> Parse(IReadOnlyList<string> args)
    {
        var paths = new Dictionary<string, string>();
        foreach (var arg in args)
        {
            int colon = arg.IndexOf(':');
            if (colon < 0)
            {
                if (args.Count != 1)
                    throw new RuncsException($"invalid --cgroup argument: {arg} (missing <controller>: prefix)");
                paths[""] = arg;
                continue;
            }
            foreach (var controller in arg[..colon].Split(','))
            {
                if (controller.Length == 0)
                    throw new RuncsException($"invalid --cgroup argument: {arg} (empty <controller> prefix)");
                if (!paths.TryAdd(controller, arg[(colon + 1)..]))
                    throw new RuncsException($"invalid --cgroup argument(s): controller {controller} specified multiple times");
            }
        }
        return paths;
    }

    /// <summary>
    /// The container's cgroup paths (hierarchy key → directory) with the sub-cgroups applied.
    /// Unlike runc's prefix test, a sibling whose name extends the container's ("../idx") is
    /// not a sub-cgroup either.
    /// </summary>
    public static Dictionary<string, string> Apply(IReadOnlyDictionary<string, string> container, IReadOnlyDictionary<string, string> sub)
    {
        var result = new Dictionary<string, string>(container);
        if (sub.TryGetValue("", out var everywhere))
        {
            foreach (var (key, dir) in container)
                result[key] = Below(dir, everywhere);
            return result;
        }
        foreach (var (controller, relative) in sub)
        {
            if (!container.TryGetValue(controller, out var dir))
                throw new RuncsException($"unknown controller {controller} in SubCgroupPaths");
            result[controller] = Below(dir, relative);
        }
        return result;
    }

    private static string Below(string dir, string relative)
    {
        var joined = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Join(dir, relative)));
        if (joined != dir && !joined.StartsWith(dir + "/", StringComparison.Ordinal))
            throw new RuncsException($"{relative} is not a sub cgroup path");
        return joined;
    }

    /// <summary>Sub-cgroups must exist already; checked before the clone, so that a missing one leaves no process.</summary>
    public static void RequireExisting(IEnumerable<string> dirs)
    {
        foreach (var dir in dirs.Distinct())
        {
            if (!File.Exists(Path.Combine(dir, "cgroup.procs")))
                throw new RuncsException($"error adding pid of the exec to cgroups: {Path.Combine(dir, "cgroup.procs")}: no such file or directory");
        }
    }
}
