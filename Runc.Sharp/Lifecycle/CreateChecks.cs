using Runc.Sharp.Linux;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Lifecycle;

/// <summary>Checks of a create request against its config, done before anything is created.</summary>
public static class CreateChecks
{
    public static string Rootfs(CreateRequest r, RuntimeSpec spec)
    {
        var rootfs = Path.GetFullPath(Path.Combine(r.Bundle, spec.Root!.Path!));
        if (!Directory.Exists(rootfs))
            throw new ConfigError($"{SpecReader.ConfigFileName}: root.path: rootfs {rootfs}: no such directory");
        // With its symlinks resolved, as runc does: the mount table names real paths, and the
        // container's mounts are found there by this path (--no-pivot, a host mount namespace).
        return SysCall.RealPath(rootfs);
    }

    /// <summary>runc's rule: a console socket exactly when detached with a terminal.</summary>
    public static void Console(CreateRequest r, RuntimeSpec spec)
    {
        bool terminal = spec.Process?.Terminal == true;
        if (r.Detach && terminal && r.ConsoleSocket is null)
            throw new RuncsException("cannot allocate tty if runcs will detach without setting console socket");
        if (r.ConsoleSocket is not null && !(r.Detach && terminal))
            throw new RuncsException("cannot use console socket if runcs will not detach or allocate tty");
    }

    /// <summary>
    /// runc 1.2's rule for a cgroup that exists already: it may be reused only empty and
    /// thawed. A frozen one would park the init in the refrigerator for ever.
    /// </summary>
    public static void CgroupUnused(Cgroups.ICgroupManager cgroups)
    {
        if (cgroups.Existing().Count == 0)
            return;
        if (cgroups.Pids() is { Count: > 0 } pids)
            throw new RuncsException($"container's cgroup is not empty: {pids.Count} process(es) found");
        if (cgroups.IsFrozen())
            throw new RuncsException("container's cgroup unexpectedly frozen");
    }

    public static void WarnUnknownCapabilities(RuntimeSpec spec, Action<string> warn)
    {
        foreach (var e in ProcessChecks.CapabilityNames(spec))
            warn($"ignoring {e}");
    }

    /// <summary>
    /// Without newuidmap/newgidmap (which runcs does not use), an unprivileged user may write
    /// only one id map line: its own id. Refused here, with the rule, instead of failing later
    /// at a chown or a write to uid_map.
    /// </summary>
    public static void RootlessMappings(RuntimeSpec spec, bool rootless)
    {
        if (!rootless)
            return;
        Check(spec.Linux?.UidMappings, "uidMappings", Linux.Native.Libc.geteuid());
        Check(spec.Linux?.GidMappings, "gidMappings", Linux.Native.Libc.getegid());

        static void Check(IReadOnlyList<IdMapping>? maps, string field, uint own)
        {
            if (maps is null || maps.Count == 1 && maps[0].HostID == own && maps[0].Size == 1)
                return;
            throw new ConfigError($"{SpecReader.ConfigFileName}: linux.{field}: running as an unprivileged user ({own}), runcs can map only that one id " +
                $"(one entry, hostID {own}, size 1)");
        }
    }

    /// <summary>Moving a host network device needs the host's CAP_NET_ADMIN: not for a rootless container (runc's rule).</summary>
    public static void NetDevicesNotRootless(RuntimeSpec spec, bool rootless)
    {
        if (rootless && spec.Linux?.NetDevices is { Count: > 0 })
            throw new ConfigError($"{SpecReader.ConfigFileName}: linux.netDevices: network devices are not supported for rootless containers");
    }

    /// <summary>
    /// linux.memoryPolicy's nodes must be online here, unless a flag makes them relative to
    /// the cpuset or kept for later (MPOL_F_RELATIVE_NODES, MPOL_F_STATIC_NODES); the kernel
    /// would only say "invalid argument".
    /// </summary>
    public static void MemoryPolicyNodesOnline(RuntimeSpec spec, string onlineFile = "/sys/devices/system/node/online")
    {
        if (spec.Linux?.MemoryPolicy is not { } mp || mp.Flags?.Any(f => f is "MPOL_F_RELATIVE_NODES" or "MPOL_F_STATIC_NODES") == true)
            return;
        var wanted = BitList.TryParse(mp.Nodes ?? "", Known.MemoryPolicyNodes);
        if (wanted is null || BitList.Count(wanted) == 0)
            return;
        var onlineText = File.Exists(onlineFile) ? File.ReadAllText(onlineFile).Trim() : "0";
        var online = BitList.Members(BitList.TryParse(onlineText, Known.MemoryPolicyNodes) ?? []).ToHashSet();
        foreach (var node in BitList.Members(wanted).Where(n => !online.Contains(n)))
            throw new ConfigError($"{SpecReader.ConfigFileName}: linux.memoryPolicy.nodes: node {node} is not online on this host (online: {onlineText})");
    }

    /// <summary>The runtime-spec defines no personality flag yet; runc warns and goes on, in these words.</summary>
    public static void WarnPersonalityFlags(RuntimeSpec spec, Action<string> warn)
    {
        if (spec.Linux?.Personality?.Flags is { Count: > 0 } flags)
            warn($"ignoring unsupported personality flags: [{string.Join(' ', flags)}] because personality flag has not supported at this time");
    }

    /// <summary>LISTEN_FDS sockets then --preserve-fds: every one must be open.</summary>
    public static unsafe (int Count, IReadOnlyList<string> Env) ExtraFds(int preserve)
    {
        int listen = 0;
        var env = new List<string>();
        if (Environment.GetEnvironmentVariable("LISTEN_FDS") is { } lf && int.TryParse(lf, out var n) && n > 0)
        {
            listen = n;
            env.Add($"LISTEN_FDS={n}");
            env.Add("LISTEN_PID=1");
        }
        if (preserve < 0)
            throw new RuncsException("--preserve-fds must not be negative");
        int total = listen + preserve;
        for (int fd = 3; fd < 3 + total; fd++)
        {
            Linux.Native.Stat st;
            if (Linux.Native.Libc.fstat(fd, &st) != 0)
                throw new RuncsException($"unable to stat preserved-fd {fd} (#{fd - 3}): {SyscallException.Describe(System.Runtime.InteropServices.Marshal.GetLastPInvokeError())}");
        }
        return (total, env);
    }
}

