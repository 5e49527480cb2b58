namespace Runc.Sharp.Spec;

internal static class LinuxChecks
{
    public static bool HasNamespace(RuntimeSpec s, string type) =>
        s.Linux?.Namespaces?.Any(n => n.Type == type) == true;

    /// <summary>True when the config asks for a new namespace of that type (no path to join).</summary>
    public static bool HasPrivateNamespace(RuntimeSpec s, string type) =>
        s.Linux?.Namespaces?.Any(n => n.Type == type && string.IsNullOrEmpty(n.Path)) == true;

    public static IEnumerable<ValidationError> Namespaces(RuntimeSpec s)
    {
        var nss = s.Linux?.Namespaces;
        var seen = new HashSet<string>();
        for (int i = 0; nss is not null && i < nss.Count; i++)
        {
            var type = nss[i].Type;
            if (Array.IndexOf(Known.NamespaceTypes, type) < 0)
                yield return new($"linux.namespaces[{i}].type", $"unknown namespace \"{type}\"");
            else if (!seen.Add(type!))
                yield return new($"linux.namespaces[{i}].type", $"namespace \"{type}\" is given more than once");
            if (nss[i].Path is { Length: > 0 } path && !path.StartsWith('/'))
                yield return new($"linux.namespaces[{i}].path", $"\"{path}\" must be an absolute path");
        }
    }

    public static IEnumerable<ValidationError> IdMappingsNeedUserNamespace(RuntimeSpec s)
    {
        var linux = s.Linux;
        bool hasMappings = linux?.UidMappings is { Count: > 0 } || linux?.GidMappings is { Count: > 0 };
        if (hasMappings && !HasNamespace(s, "user"))
            yield return new("linux.uidMappings", "id mappings need a user namespace in linux.namespaces");
        if (HasPrivateNamespace(s, "user"))
        {
            if (linux?.UidMappings is not { Count: > 0 })
                yield return new("linux.uidMappings", "a new user namespace needs at least one uid mapping");
            if (linux?.GidMappings is not { Count: > 0 })
                yield return new("linux.gidMappings", "a new user namespace needs at least one gid mapping");
        }
    }

    public static IEnumerable<ValidationError> HostnameNeedsUts(RuntimeSpec s)
    {
        if (!string.IsNullOrEmpty(s.Hostname) && !HasNamespace(s, "uts"))
            yield return new("hostname", "setting a hostname needs a uts namespace in linux.namespaces");
        if (!string.IsNullOrEmpty(s.Domainname) && !HasNamespace(s, "uts"))
            yield return new("domainname", "setting a domainname needs a uts namespace in linux.namespaces");
    }

    /// <summary>linux.netDevices, runc's rules: a network namespace to move them into, and names the kernel takes.</summary>
    public static IEnumerable<ValidationError> NetDevices(RuntimeSpec s)
    {
        if (s.Linux?.NetDevices is not { Count: > 0 } devices)
            yield break;
        if (!HasNamespace(s, "network"))
            yield return new("linux.netDevices", "unable to move network devices without a network namespace in linux.namespaces");
        foreach (var (name, device) in devices)
        {
            if (!ValidDeviceName(name))
                yield return new($"linux.netDevices.{name}", $"invalid network device name \"{name}\"");
            if (device?.Name is { Length: > 0 } rename && !ValidDeviceName(rename))
                yield return new($"linux.netDevices.{name}.name", $"invalid network device name \"{rename}\"");
        }
    }

    /// <summary>The kernel's dev_valid_name: 1 to 15 bytes, not "." or "..", no '/', ':' or white space.</summary>
    private static bool ValidDeviceName(string name) =>
        name.Length is > 0 and < 16 && name is not ("." or "..") && !name.Any(c => c is '/' or ':' || char.IsWhiteSpace(c));

    public static IEnumerable<ValidationError> TimeOffsets(RuntimeSpec s)
    {
        var offsets = s.Linux?.TimeOffsets;
        if (offsets is null || offsets.Count == 0)
            yield break;
        if (!HasPrivateNamespace(s, "time"))
            yield return new("linux.timeOffsets", "needs a new time namespace in linux.namespaces");
        foreach (var (clock, offset) in offsets)
        {
            if (Array.IndexOf(Known.TimeOffsetClocks, clock) < 0)
                yield return new($"linux.timeOffsets.{clock}", "unknown clock (monotonic or boottime)");
            else if (offset.Nanosecs >= 1_000_000_000)
                yield return new($"linux.timeOffsets.{clock}.nanosecs", "must be below 1000000000");
        }
    }

    public static IEnumerable<ValidationError> Devices(RuntimeSpec s)
    {
        var devices = s.Linux?.Devices;
        for (int i = 0; devices is not null && i < devices.Count; i++)
        {
            var d = devices[i];
            if (Array.IndexOf(Known.DeviceTypes, d.Type) < 0)
                yield return new($"linux.devices[{i}].type", $"unknown device type \"{d.Type}\" (c, b, u or p)");
            if (string.IsNullOrEmpty(d.Path) || !d.Path.StartsWith('/'))
                yield return new($"linux.devices[{i}].path", $"\"{d.Path}\" must be an absolute path");
            else if (!d.Path.StartsWith("/dev/", StringComparison.Ordinal))
                yield return new($"linux.devices[{i}].path", $"\"{d.Path}\" must be under /dev");
            if (d.Type != "p" && (d.Major < 0 || d.Minor < 0))
                yield return new($"linux.devices[{i}]", "major and minor must not be negative");
        }
    }

    public static IEnumerable<ValidationError> DeviceRules(RuntimeSpec s)
    {
        var rules = s.Linux?.Resources?.Devices;
        for (int i = 0; rules is not null && i < rules.Count; i++)
        {
            var r = rules[i];
            if (r.Type is not (null or "" or "a" or "c" or "b"))
                yield return new($"linux.resources.devices[{i}].type", $"unknown device type \"{r.Type}\" (a, c or b)");
        }
    }

    public static IEnumerable<ValidationError> Sysctl(RuntimeSpec s)
    {
        foreach (var key in s.Linux?.Sysctl?.Keys ?? [])
        {
            if (key.Contains("..", StringComparison.Ordinal) || key.StartsWith('/') || key.Length == 0)
                yield return new($"linux.sysctl.{key}", "is not a valid sysctl name");
            else if (key.StartsWith("net.", StringComparison.Ordinal) && !HasNamespace(s, "network"))
                yield return new($"linux.sysctl.{key}", "needs a network namespace in linux.namespaces");
            else if (key is "kernel.hostname" or "kernel.domainname" && !HasNamespace(s, "uts"))
                yield return new($"linux.sysctl.{key}", "needs a uts namespace in linux.namespaces");
            else if (IsIpcSysctl(key) && !HasNamespace(s, "ipc"))
                yield return new($"linux.sysctl.{key}", "needs an ipc namespace in linux.namespaces");
        }
    }

    private static bool IsIpcSysctl(string key) =>
        key.StartsWith("fs.mqueue.", StringComparison.Ordinal)
        || key is "kernel.msgmax" or "kernel.msgmnb" or "kernel.msgmni" or "kernel.sem" or "kernel.shmall"
            or "kernel.shmmax" or "kernel.shmmni" or "kernel.shm_rmid_forced";

    public static IEnumerable<ValidationError> RootfsPropagation(RuntimeSpec s)
    {
        var p = s.Linux?.RootfsPropagation;
        if (!string.IsNullOrEmpty(p) && Array.IndexOf(Known.RootfsPropagations, p) < 0)
            yield return new("linux.rootfsPropagation", $"unknown propagation \"{p}\"");
    }

    public static IEnumerable<ValidationError> AbsolutePathLists(RuntimeSpec s)
    {
        foreach (var (name, list) in new[] { ("maskedPaths", s.Linux?.MaskedPaths), ("readonlyPaths", s.Linux?.ReadonlyPaths) })
        {
            for (int i = 0; list is not null && i < list.Count; i++)
            {
                if (string.IsNullOrEmpty(list[i]) || !list[i].StartsWith('/'))
                    yield return new($"linux.{name}[{i}]", $"\"{list[i]}\" must be an absolute path");
            }
        }
    }

    public static IEnumerable<ValidationError> Personality(RuntimeSpec s)
    {
        if (s.Linux?.Personality is { } p && Array.IndexOf(Known.PersonalityDomains, p.Domain) < 0)
            yield return new("linux.personality.domain", $"unknown domain \"{p.Domain}\" (LINUX or LINUX32)");
    }

    /// <summary>linux.memoryPolicy in runc's words; the node count each mode needs is runc's rule, before the kernel's.</summary>
    public static IEnumerable<ValidationError> MemoryPolicy(RuntimeSpec s)
    {
        if (s.Linux?.MemoryPolicy is not { } mp)
            yield break;
        if (Array.IndexOf(Known.MemoryPolicyModes, mp.Mode) < 0)
            yield return new("linux.memoryPolicy.mode", $"invalid memory policy mode \"{mp.Mode}\"");
        var nodes = BitList.TryParse(mp.Nodes ?? "", Known.MemoryPolicyNodes);
        if (nodes is null)
            yield return new("linux.memoryPolicy.nodes", $"invalid memory policy nodes \"{mp.Nodes}\" (a node list such as \"0-3,7\", nodes below {Known.MemoryPolicyNodes})");
        var flags = mp.Flags;
        for (int i = 0; flags is not null && i < flags.Count; i++)
        {
            if (Array.IndexOf(Known.MemoryPolicyFlags, flags[i]) < 0)
                yield return new($"linux.memoryPolicy.flags[{i}]", $"invalid memory policy flag \"{flags[i]}\"");
        }
        int count = nodes is null ? -1 : BitList.Count(nodes);
        if (mp.Mode is "MPOL_DEFAULT" or "MPOL_LOCAL" && count > 0)
            yield return new("linux.memoryPolicy.nodes", $"memory policy mode requires 0 nodes but got {count}");
        if (mp.Mode is "MPOL_BIND" or "MPOL_INTERLEAVE" or "MPOL_PREFERRED_MANY" or "MPOL_WEIGHTED_INTERLEAVE" && count == 0)
            yield return new("linux.memoryPolicy.nodes", "memory policy mode requires at least one node but got 0");
    }

    public static IEnumerable<ValidationError> Seccomp(RuntimeSpec s)
    {
        if (s.Linux?.Seccomp is not { } sc)
            yield break;
        if (Array.IndexOf(Known.SeccompActions, sc.DefaultAction) < 0)
            yield return new("linux.seccomp.defaultAction", $"unknown action \"{sc.DefaultAction}\"");
        var archs = sc.Architectures;
        for (int i = 0; archs is not null && i < archs.Count; i++)
        {
            if (Array.IndexOf(Known.SeccompArchitectures, archs[i]) < 0)
                yield return new($"linux.seccomp.architectures[{i}]", $"unknown architecture \"{archs[i]}\"");
        }
        var flags = sc.Flags;
        for (int i = 0; flags is not null && i < flags.Count; i++)
        {
            if (Array.IndexOf(Known.SeccompFlags, flags[i]) < 0)
                yield return new($"linux.seccomp.flags[{i}]", $"unknown flag \"{flags[i]}\"");
        }
        var syscalls = sc.Syscalls;
        for (int i = 0; syscalls is not null && i < syscalls.Count; i++)
        {
            var call = syscalls[i];
            if (call.Names is not { Count: > 0 })
                yield return new($"linux.seccomp.syscalls[{i}].names", "must not be empty");
            if (Array.IndexOf(Known.SeccompActions, call.Action) < 0)
                yield return new($"linux.seccomp.syscalls[{i}].action", $"unknown action \"{call.Action}\"");
            // The init hands the notify fd on with write(2) (runc's rule and words: it would hang).
            if (call.Action == "SCMP_ACT_NOTIFY" && call.Names?.Contains("write") == true)
                yield return new($"linux.seccomp.syscalls[{i}].names", "SCMP_ACT_NOTIFY cannot be used for the write syscall");
            var args = call.Args;
            for (int j = 0; args is not null && j < args.Count; j++)
            {
                if (Array.IndexOf(Known.SeccompOperators, args[j].Op) < 0)
                    yield return new($"linux.seccomp.syscalls[{i}].args[{j}].op", $"unknown operator \"{args[j].Op}\"");
                if (args[j].Index > 5)
                    yield return new($"linux.seccomp.syscalls[{i}].args[{j}].index", $"{args[j].Index} is above 5");
            }
        }
        if (sc.DefaultAction == "SCMP_ACT_NOTIFY")
            yield return new("linux.seccomp.defaultAction", "SCMP_ACT_NOTIFY cannot be used as default action");
        if (sc.DefaultAction == "SCMP_ACT_NOTIFY" || syscalls?.Any(c => c.Action == "SCMP_ACT_NOTIFY") == true)
        {
            if (string.IsNullOrEmpty(sc.ListenerPath))
                yield return new("linux.seccomp.listenerPath", "SCMP_ACT_NOTIFY needs a listenerPath");
        }
    }
}
