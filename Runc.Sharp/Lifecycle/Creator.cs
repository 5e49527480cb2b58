using System.Globalization;
using Runc.Sharp.Cgroups;
using Runc.Sharp.Cgroups.Systemd;
using Runc.Sharp.Launch;
using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;
using Runc.Sharp.Linux.Network;
using Runc.Sharp.Linux.Resctrl;
using Runc.Sharp.Linux.Seccomp;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Lifecycle;

/// <summary>A container whose init is parked on exec.fifo; the init is still this process's child.</summary>
/// <param name="PtyMaster">For a foreground run with process.terminal: the pty master runcs proxies, else -1.</param>
public sealed record CreatedContainer(string Id, int Pid, ContainerState State, int PtyMaster);

/// <summary>
/// `create`: checks everything it can first, then makes the state dir, fifo and cgroups,
/// launches the init and records the state. Any failure undoes all of it, so a failed
/// create leaves no state dir, cgroup, mount or process behind.
/// </summary>
public static class Creator
{
    public static CreatedContainer Create(RuntimeOptions o, CreateRequest r)
    {
        ContainerId.Validate(r.Id);
        SelfImage.Prefetch();
        var spec = SpecReader.LoadBundle(r.Bundle);
        var rootfs = CreateChecks.Rootfs(r, spec);
        CreateChecks.Console(r, spec);
        CreateChecks.WarnUnknownCapabilities(spec, o.Warn);
        CreateChecks.WarnPersonalityFlags(spec, o.Warn);
        CreateChecks.NetDevicesNotRootless(spec, o.IsRootless);
        CreateChecks.MemoryPolicyNodesOnline(spec);
        var resctrl = ResctrlGroup.Plan(spec.Linux?.IntelRdt, r.Id, spec.Linux?.IntelRdt is null ? null : ResctrlGroup.HostRoot());
        CreateChecks.RootlessMappings(spec, o.IsRootless);
        var (extraFds, extraEnv) = CreateChecks.ExtraFds(r.PreserveFds);
        var scope = ContainerCgroups.SystemdScopeFor(r.Id, spec.Linux, o.SystemdCgroup, o.IsRootless);
        var cgroups = ContainerCgroups.Plan(r.Id, spec.Linux?.CgroupsPath, scope);
        if (o.IsRootless)
            cgroups = ContainerCgroups.ForRootless(cgroups, spec.Linux, o.Warn);
        if (o.Store.Exists(r.Id))
            throw new RuncsException("container with given ID already exists");
        CreateChecks.CgroupUnused(cgroups);
        if (r.PidFile is not null && !Directory.Exists(Path.GetDirectoryName(r.PidFile)))
            throw new RuncsException($"--pid-file {r.PidFile}: no such directory");

        using var held = o.Store.CreateLocked(r.Id);
        Faults.At(FaultPoint.DirMade);
        var undo = new Undo();
        try
        {
            undo.Add(() => StateStore.Remove(held));
            var created = Launch(o, r, spec, rootfs, cgroups, scope, resctrl, extraFds, extraEnv, held, undo);
            undo.Clear();
            return created;
        }
        finally
        {
            undo.Run();
        }
    }

    /// <summary>
    /// linux.netDevices, once the init's network namespace exists and before the init is
    /// configured: a joined one by its path (the child may not have entered it yet), a new one
    /// through the init, which was born in it. A create that fails after this ends a new
    /// namespace, which returns a physical device to the host.
    /// </summary>
    private static void MoveNetDevices(Spec.Linux? linux, int initPid)
    {
        if (linux?.NetDevices is not { Count: > 0 } devices)
            return;
        using var netns = FileDescriptor.Open(NamespacePlan.JoinedPath(linux, "network") ?? $"/proc/{initPid.ToString(CultureInfo.InvariantCulture)}/ns/net", O.RDONLY);
        foreach (var (name, device) in devices)
            NetDevices.Move(name, device?.Name, netns.Value, $"linux.netDevices.{name}");
    }

    /// <summary>
    /// exec.fifo is opened by the init as its user namespace's root, which for a joined
    /// namespace only the maps of a process in it name: the init's, read before it opens the
    /// fifo, once it is in that namespace (a child that does not fork joins it after its release).
    /// </summary>
    private static void ChownForJoinedRoot(string fifoPath, int initPid, string userns)
    {
        var pid = initPid.ToString(CultureInfo.InvariantCulture);
        var wanted = SysCall.Stat(userns, "linux.namespaces user path");
        for (int i = 0; i < 500 && SysCall.Stat($"/proc/{pid}/ns/user", "the init's user namespace") is var seen && (seen.Ino != wanted.Ino || seen.Dev != wanted.Dev); i++)
            Thread.Sleep(2);
        var uid = IdMaps.HostIdOfRoot(IdMaps.OfProcess(initPid, "uid_map"), 0);
        var gid = IdMaps.HostIdOfRoot(IdMaps.OfProcess(initPid, "gid_map"), 0);
        if (Libc.fchownat(-100, fifoPath, uid, gid, 0) != 0)
            throw SyscallException.FromLast("chown", fifoPath);
    }

    private static CreatedContainer Launch(RuntimeOptions o, CreateRequest r, RuntimeSpec spec, string rootfs,
        FsCgroupManager cgroups, ScopePlan? scope, ResctrlGroup? resctrl, int extraFds, IReadOnlyList<string> extraEnv, ContainerLock held, Undo undo)
    {
        using var seccomp = SeccompCompilation.Start(spec.Linux?.Seccomp, o.Store.Root);
        var fifoPath = o.Store.FifoOf(r.Id);
        if (Libc.mkfifo(fifoPath, 0x192 /* 0622 */) != 0)
            throw SyscallException.FromLast("mkfifo", fifoPath);
        // Without maps (a joined user namespace) the fifo stays runcs's user's until the init's maps are known.
        var rootUid = IdMaps.HostIdOfRoot(spec.Linux?.UidMappings, Libc.geteuid());
        var rootGid = IdMaps.HostIdOfRoot(spec.Linux?.GidMappings, Libc.getegid());
        if (Libc.fchownat(-100, fifoPath, rootUid, rootGid, 0) != 0)
            throw SyscallException.FromLast("chown", fifoPath);
        using var fifo = FileDescriptor.Open(fifoPath, O.PATH);

        // The record comes first: whatever point this create is killed at, delete finds by it
        // every cgroup, mount and process that the create made.
        var existed = cgroups.Existing();
        var hostMountNamespace = spec.Linux?.Namespaces?.Any(n => n.Type == "mount") != true;
        var state = new ContainerState
        {
            Id = r.Id,
            Created = DateTime.UtcNow,
            Bundle = r.Bundle,
            Rootfs = rootfs,
            OciVersion = spec.OciVersion ?? "",
            Annotations = spec.Annotations,
            Hooks = spec.Hooks,
            CgroupPaths = cgroups.Paths,
            PreexistingCgroups = existed,
            Rootless = o.IsRootless,
            NoPivot = r.NoPivot,
            NoNewKeyring = r.NoNewKeyring,
            SystemdCgroup = scope is not null,
            SharedPidNamespace = spec.Linux?.Namespaces?.Any(n => n.Type == "pid" && string.IsNullOrEmpty(n.Path)) != true,
            Creating = true,
            HostMountsBefore = hostMountNamespace ? HostMounts.IdsBelow(rootfs) : null,
            ResctrlDirs = resctrl?.OwnedDirs,
        };
        o.Store.Write(held, state);
        Faults.At(FaultPoint.Recorded);

        cgroups.Create();
        Faults.At(FaultPoint.CgroupsMade);
        undo.Add(() => cgroups.Destroy(existed));
        if (scope is not null)
            undo.Add(() => StopScope(scope.Unit, o.Warn));
        if (resctrl is not null)
            undo.Add(() => ResctrlGroup.Destroy(resctrl.OwnedDirs));
        // A rootless container without delegated cgroups has none (ContainerCgroups.ForRootless);
        // with them, the device rules are skipped: writing them needs CAP_SYS_ADMIN (runc does the same).
        // A systemd scope that allows every device has no devices cgroup (ScopeProperties.Devices).
        bool devices = !o.IsRootless && scope is not { DevicesCgroup: false };
        void SetLimits() => cgroups.Set(CgroupLayout.Host.Mode, spec.Linux, includeDevices: devices);
        // In a systemd scope the limits go in once systemd has made the scope's cgroups its own.
        if (cgroups.Paths.Count > 0 && scope is null)
            SetLimits();
        Faults.At(FaultPoint.LimitsSet);

        using var route = new ConsoleRoute(r.ConsoleSocket, spec.Process!.Terminal, r.Detach);
        var console = route.ToInit;
        var namespaces = NamespacePlan.From(spec);
        var config = new InitConfig
        {
            Id = r.Id,
            Bundle = r.Bundle,
            Rootfs = rootfs,
            Spec = spec,
            Debug = o.Debug is not null,
            NoPivot = r.NoPivot,
            NoNewKeyring = r.NoNewKeyring,
            ConsoleSocketFd = console?.Value ?? -1,
            FifoFd = fifo.Value,
            SeccompFd = seccomp?.ReadEnd.Value ?? -1,
            ExtraFds = extraFds,
            NewUserNamespace = spec.Linux?.Namespaces?.Any(n => n.Type == "user") == true,
            HostMountNamespace = hostMountNamespace,
            PrivateCgroupNamespace = namespaces.NewCgroupNamespace,
            // A rootless container without cgroups of its own lives in runcs's: it sees those, as with runc.
            CgroupSources = ContainerCgroups.MountSources(cgroups.Paths.Count > 0 ? cgroups.Paths : CgroupPaths.OfOwn(CgroupLayout.Host, CgroupPaths.Own())),
            ExtraEnv = extraEnv,
        };
        using var idmaps = IdMapNamespaces.For(spec, denySetgroups: Libc.geteuid() != 0);
        config = config with { IdMapFds = idmaps.Fds };
        int[] inherited = [fifo.Value, .. console is null ? [] : new[] { console.Value }, .. idmaps.Fds.Select(f => f.Fd),
            .. seccomp is null ? [] : new[] { seccomp.ReadEnd.Value }];
        using var childCgroups = new ChildCgroups(cgroups.Paths, fresh: ContainerCgroups.UnifiedIsNew(cgroups.Paths, existed));
        var plan = new LaunchPlan(spec.Linux, namespaces, inherited, DenySetgroups: Libc.geteuid() != 0, childCgroups, o.Store.DirOf(r.Id),
            spec.Process?.OomScoreAdj,
            BeforeRelease: scope is null && resctrl is null ? null : pid =>
            {
                if (scope is not null)
                {
                    SystemdScope.Start(scope, pid, r.Id);
                    SetLimits();
                }
                resctrl?.Apply(pid);
            },
            Debug: o.Debug);

        if (state.HostMountsBefore is { } mountsBefore)
            undo.Add(() => HostMounts.Unmount(HostMounts.AddedBelow(rootfs, mountsBefore)));

        // runc's step names, which tools and runc's own tests look for in a debug log.
        o.Debug?.Invoke($"nsexec container setup: cloning the init of {r.Id} (clone flags 0x{namespaces.CloneFlags:x})");
        string hookState = "";
        LaunchedInit init;
        try
        {
            init = Launcher.Start(plan, childPid =>
            {
                MoveNetDevices(spec.Linux, childPid);
                // Not root: the fifo is already the user's, and no other id is ours to give.
                if (NamespacePlan.JoinedPath(spec.Linux, "user") is { } userns && Libc.geteuid() == 0)
                    ChownForJoinedRoot(fifoPath, childPid, userns);
                hookState = HookStates.Json(state, ContainerStatus.Created, childPid);
                return config with { HookState = hookState };
            });
        }
        catch (RuncsException) when (SetupOom(cgroups, spec.Linux) is { } oom)
        {
            throw oom;
        }
        using var launched = init;
        undo.Add(() => Launcher.Reap(init.Pid, kill: true));
        try
        {
            Launcher.WaitReady(init, () =>
            {
                HookStates.Run(spec.Hooks, HookPhases.Prestart, hookState, cwd: r.Bundle);
                HookStates.Run(spec.Hooks, HookPhases.CreateRuntime, hookState, cwd: r.Bundle);
                Faults.At(FaultPoint.HooksRun);
            }, o.Warn, o.Debug, fd => SeccompListener.Send(spec.Linux!.Seccomp!, spec.OciVersion ?? "", init.Pid, hookState, fd));
        }
        catch (RuncsException) when (SetupOom(cgroups, spec.Linux) is { } oom)
        {
            throw oom;
        }
        Faults.At(FaultPoint.Ready);

        var stat = ProcStat.Read(init.Pid) ?? throw new RuncsException("container init exited right after setup");
        state = state with
        {
            InitPid = init.Pid,
            InitStartTime = stat.StartTime,
            HostMounts = state.HostMountsBefore is { } before ? HostMounts.AddedBelow(rootfs, before) : null,
            Creating = false,
            HostMountsBefore = null,
        };
        o.Store.WriteSpec(held, spec);
        o.Store.Write(held, state);
        Faults.At(FaultPoint.StateWritten);
        init.Commit();
        Faults.At(FaultPoint.Committed);
        o.Debug?.Invoke($"container {r.Id} created, init pid {init.Pid}");
        if (r.PidfdSocket is not null)
            UnixSocket.SendPidfd(r.PidfdSocket, init.Pid, $"--pidfd-socket {r.PidfdSocket}");
        if (r.PidFile is not null)
            PidFile.Write(r.PidFile, init.Pid);
        return new CreatedContainer(r.Id, init.Pid, state, route.ReceiveMaster());
    }

    /// <summary>
    /// An init that died during setup under a memory limit it could not live within: runc's
    /// words for a limit below the usage (it sets the limit with the init already in the
    /// cgroup), and what happened here. Null when the memory cgroup saw no OOM kill.
    /// </summary>
    private static RuncsException? SetupOom(FsCgroupManager cgroups, Spec.Linux? linux)
    {
        if (linux?.Resources?.Memory?.Limit is not { } limit || limit <= 0 || cgroups.MemoryOom() is not { Kills: > 0 } oom)
            return null;
        return new ConfigError($"unable to set memory limit to {limit} (current usage: {oom.Usage}, peak usage: {oom.Peak}): " +
            "the container's init was OOM-killed during setup (linux.resources.memory.limit)");
    }

    /// <summary>Undo of a scope that may never have started: a failure to stop it is a warning, so the rest of the undo still runs.</summary>
    private static void StopScope(SystemdUnit unit, Action<string> warn)
    {
        try
        {
            SystemdScope.Stop(unit.Name);
        }
        catch (RuncsException e)
        {
            warn(e.Message);
        }
    }
}

/// <summary>Cleanup steps registered as create progresses, run in reverse unless cleared.</summary>
internal sealed class Undo
{
    private readonly Stack<Action> _steps = new();

    public void Add(Action step) => _steps.Push(step);
    public void Clear() => _steps.Clear();

    public void Run()
    {
        while (_steps.Count > 0)
            _steps.Pop()();
    }
}

/// <summary>--pid-file: the decimal pid with no newline, written to a temp file and renamed into place.</summary>
public static class PidFile
{
    public static void Write(string path, int pid)
    {
        var dir = Path.GetDirectoryName(path)!;
        var temp = Path.Combine(dir, "." + Path.GetFileName(path));
        using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            fs.Write(System.Text.Encoding.ASCII.GetBytes(pid.ToString(CultureInfo.InvariantCulture)));
        File.Move(temp, path, overwrite: true);
    }
}
