namespace Runc.Sharp.Spec;

/// <summary>JSON null where an object or string is expected inside an array or map ("mounts": [null]).</summary>
internal static class NullChecks
{
    public static IEnumerable<ValidationError> Elements(RuntimeSpec s)
    {
        var lists = new (string Path, System.Collections.IEnumerable? Items)[]
        {
            ("mounts", s.Mounts), ("process.args", s.Process?.Args), ("process.env", s.Process?.Env),
            ("process.rlimits", s.Process?.Rlimits),
            ("linux.namespaces", s.Linux?.Namespaces), ("linux.devices", s.Linux?.Devices),
            ("linux.uidMappings", s.Linux?.UidMappings), ("linux.gidMappings", s.Linux?.GidMappings),
            ("linux.resources.devices", s.Linux?.Resources?.Devices), ("linux.maskedPaths", s.Linux?.MaskedPaths),
            ("linux.readonlyPaths", s.Linux?.ReadonlyPaths), ("linux.seccomp.syscalls", s.Linux?.Seccomp?.Syscalls),
            ("linux.resources.hugepageLimits", s.Linux?.Resources?.HugepageLimits),
        };
        foreach (var (path, items) in lists)
        {
            int i = 0;
            foreach (var item in items ?? Array.Empty<object>())
            {
                if (item is null)
                    yield return new($"{path}[{i}]", "must not be null");
                i++;
            }
        }
        foreach (var (phase, hooks) in HookPhases.All(s.Hooks))
        {
            for (int i = 0; i < hooks.Count; i++)
            {
                if (hooks[i] is null)
                    yield return new($"hooks.{phase}[{i}]", "must not be null");
            }
        }
        var mounts = s.Mounts ?? [];
        for (int i = 0; i < mounts.Count; i++)
        {
            var options = mounts[i]?.Options ?? [];
            for (int j = 0; j < options.Count; j++)
            {
                if (options[j] is null)
                    yield return new($"mounts[{i}].options[{j}]", "must not be null");
            }
        }
        foreach (var (clock, offset) in s.Linux?.TimeOffsets ?? new Dictionary<string, TimeOffset>())
        {
            if (offset is null)
                yield return new($"linux.timeOffsets.{clock}", "must not be null");
        }
        var calls = s.Linux?.Seccomp?.Syscalls ?? [];
        for (int i = 0; i < calls.Count; i++)
        {
            var args = calls[i]?.Args ?? [];
            for (int j = 0; j < args.Count; j++)
            {
                if (args[j] is null)
                    yield return new($"linux.seccomp.syscalls[{i}].args[{j}]", "must not be null");
            }
        }
    }
}
