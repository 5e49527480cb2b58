namespace Runc.Sharp.Spec;

public static class ProcessChecks
{
    public const string SupportedRange = "1.0.0–1.3.x";

    public static IEnumerable<ValidationError> OciVersion(RuntimeSpec s)
    {
        if (string.IsNullOrEmpty(s.OciVersion))
            yield return new("ociVersion", "must be set");
        else if (!IsSupportedVersion(s.OciVersion))
            yield return new("", $"ociVersion \"{s.OciVersion}\": unsupported (runcs supports {SupportedRange})");
    }

    /// <summary>1.0.0 up to any 1.3 patch or pre-release ("1.0.2-dev", "1.3.0-rc.1").</summary>
    public static bool IsSupportedVersion(string version)
    {
        var core = version.Split('-', '+')[0].Split('.');
        return core.Length == 3
            && core.All(p => p.Length > 0 && p.All(char.IsAsciiDigit))
            && core[0] == "1"
            && int.TryParse(core[1], out var minor) && minor is >= 0 and <= 3;
    }

    public static IEnumerable<ValidationError> Root(RuntimeSpec s)
    {
        if (s.Root is null)
            yield return new("root", "must be set");
        else if (string.IsNullOrEmpty(s.Root.Path))
            yield return new("root.path", "must not be empty");
    }

    // runc refuses a config without a process at create time (the spec only requires it at start).
    public static IEnumerable<ValidationError> ProcessPresent(RuntimeSpec s)
    {
        if (s.Process is null)
            yield return new("process", "must be set");
    }

    public static IEnumerable<ValidationError> Args(RuntimeSpec s)
    {
        if (s.Process is { } p && (p.Args is null || p.Args.Count == 0) && string.IsNullOrEmpty(p.CommandLine))
            yield return new("process.args", "must not be empty");
    }

    public static IEnumerable<ValidationError> Cwd(RuntimeSpec s)
    {
        if (s.Process is { } p && !string.IsNullOrEmpty(p.Cwd) && !p.Cwd.StartsWith('/'))
            yield return new("process.cwd", $"\"{p.Cwd}\" must be an absolute path");
    }

    public static IEnumerable<ValidationError> Env(RuntimeSpec s)
    {
        var env = s.Process?.Env;
        for (int i = 0; env is not null && i < env.Count; i++)
        {
            if (env[i] is null || env[i].IndexOf('=') <= 0)
                yield return new($"process.env[{i}]", $"\"{env[i]}\" is not of the form KEY=VALUE");
        }
    }

    /// <summary>
    /// Unknown capability names. Not an error (runc and the runtime-spec: warn and
    /// ignore what the kernel cannot grant); create reports them as warnings.
    /// </summary>
    public static IEnumerable<ValidationError> CapabilityNames(RuntimeSpec s)
    {
        var caps = s.Process?.Capabilities;
        if (caps is null)
            yield break;
        (string Set, IReadOnlyList<string>? Names)[] sets =
        [
            ("bounding", caps.Bounding), ("effective", caps.Effective), ("inheritable", caps.Inheritable),
            ("permitted", caps.Permitted), ("ambient", caps.Ambient),
        ];
        foreach (var (set, names) in sets)
        {
            for (int i = 0; names is not null && i < names.Count; i++)
            {
                if (Array.IndexOf(Known.Capabilities, names[i]) < 0)
                    yield return new($"process.capabilities.{set}[{i}]", $"unknown capability \"{names[i]}\"");
            }
        }
    }

    public static IEnumerable<ValidationError> Rlimits(RuntimeSpec s)
    {
        var limits = s.Process?.Rlimits;
        var seen = new HashSet<string>();
        for (int i = 0; limits is not null && i < limits.Count; i++)
        {
            var type = limits[i].Type ?? "";
            if (Array.IndexOf(Known.Rlimits, type) < 0)
                yield return new($"process.rlimits[{i}].type", $"unknown rlimit \"{type}\"");
            else if (!seen.Add(type))
                yield return new($"process.rlimits[{i}].type", $"\"{type}\" is given more than once");
            else if (limits[i].Soft > limits[i].Hard)
                yield return new($"process.rlimits[{i}]", $"soft limit {limits[i].Soft} exceeds hard limit {limits[i].Hard}");
        }
    }

    public static IEnumerable<ValidationError> OomScoreAdj(RuntimeSpec s)
    {
        if (s.Process?.OomScoreAdj is { } adj && adj is < -1000 or > 1000)
            yield return new("process.oomScoreAdj", $"{adj} is outside [-1000, 1000]");
    }

    public static IEnumerable<ValidationError> IoPriorityValues(RuntimeSpec s)
    {
        if (s.Process?.IoPriority is not { } io)
            yield break;
        if (Array.IndexOf(Known.IoPriorityClasses, io.Class) < 0)
            yield return new("process.ioPriority.class", $"unknown class \"{io.Class}\"");
        if (io.Priority is < 0 or > 7)
            yield return new("process.ioPriority.priority", $"{io.Priority} is outside [0, 7]");
    }

    public static IEnumerable<ValidationError> SchedulerPolicy(RuntimeSpec s)
    {
        if (s.Process?.Scheduler is { } sch && Array.IndexOf(Known.SchedulerPolicies, sch.Policy) < 0)
            yield return new("process.scheduler.policy", $"unknown policy \"{sch.Policy}\"");
    }
}
