using System.Globalization;
using Runc.Sharp.Launch;
using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Seccomp;
using Runc.Sharp.Linux.Native;
using Runc.Sharp.Linux.Process;
using Runc.Sharp.Linux.Resctrl;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Lifecycle;

/// <summary>The flags of `exec`.</summary>
public sealed record ExecRequest(
    string Id,
    IReadOnlyList<string> Args,
    string? ProcessFile,
    string? Cwd,
    IReadOnlyList<string> Env,
    bool Tty,
    string? User,
    IReadOnlyList<string> AdditionalGids,
    IReadOnlyList<string> Caps,
    bool NoNewPrivs,
    bool Detach,
    string? PidFile,
    string? ConsoleSocket,
    int PreserveFds,
    bool IgnorePaused,
    string? ApparmorProfile,
    string? ProcessLabel,
    string? PidfdSocket,
    IReadOnlyList<string> SubCgroups);

/// <summary>
/// `exec`: a new process in a running container. It is cloned inside the container's
/// pid namespace (see <see cref="PidNamespace"/>), joins the other namespaces, is placed
/// in the container's cgroups (or sub-cgroups of them, --cgroup), and the init stage in exec mode applies the process
/// settings and execs it.
/// </summary>
public static class Executor
{
    private static readonly (string Type, string File)[] NamespaceFiles =
        [("user", "user"), ("pid", "pid"), ("mount", "mnt"), ("network", "net"), ("ipc", "ipc"), ("uts", "uts"), ("cgroup", "cgroup"), ("time", "time")];

    /// <summary>
    /// A sub-cgroup is entered through its cgroup.procs: only a unified cgroup that runcs made
    /// is known safe for clone3's CLONE_INTO_CGROUP (see <see cref="ChildCgroups"/>).
    /// </summary>
    private static ChildCgroups CgroupsOf(ContainerState state, IReadOnlyDictionary<string, string> sub)
    {
        var container = ContainerCgroups.For(state).Paths;
        if (sub.Count == 0)
            return new ChildCgroups(container, fresh: ContainerCgroups.UnifiedIsNew(state.CgroupPaths ?? new Dictionary<string, string>(), state.PreexistingCgroups ?? []));
        var paths = Cgroups.SubCgroups.Apply(container, sub);
        Cgroups.SubCgroups.RequireExisting(paths.Values);
        return new ChildCgroups(paths, fresh: false);
    }

    public static int Exec(RuntimeOptions o, ExecRequest r)
    {
        SelfImage.Prefetch();
        var state = o.Store.Read(r.Id);
        switch (StatusDeriver.Derive(o.Store, state))
        {
            case ContainerStatus.Stopped:
                throw new RuncsException("cannot exec in a stopped container");
            case ContainerStatus.Creating:
                throw new RuncsException("cannot exec in a container that is being created");
            case ContainerStatus.Paused when !r.IgnorePaused:
                throw new RuncsException("cannot exec in a paused container (use --ignore-paused)");
        }
        var config = o.Store.ReadSpec(r.Id);
        using var seccomp = SeccompCompilation.Start(config.Linux?.Seccomp, o.Store.Root);
        var process = ExecProcess.Build(config, r);
        if (r.Detach && process.Terminal && r.ConsoleSocket is null)
            throw new RuncsException("cannot allocate tty if runcs will detach without setting console socket");
        if (r.ConsoleSocket is not null && !(r.Detach && process.Terminal))
            throw new RuncsException("cannot use console socket if runcs will not detach or allocate tty");
        var (extraFds, extraEnv) = CreateChecks.ExtraFds(r.PreserveFds);

        var spec = config with { Process = process };
        var types = spec.Linux?.Namespaces?.Select(n => n.Type).ToHashSet() ?? [];
        var pidText = state.InitPid.ToString(CultureInfo.InvariantCulture);
        var joins = NamespaceFiles.Where(n => types.Contains(n.Type))
            .Select(n => (n.Type, $"/proc/{pidText}/ns/{n.File}")).ToList();

        using var route = new ConsoleRoute(r.ConsoleSocket, process.Terminal, r.Detach);
        var initConfig = new InitConfig
        {
            Id = r.Id,
            Bundle = state.Bundle,
            Rootfs = state.Rootfs,
            Spec = spec,
            Exec = true,
            Debug = o.Debug is not null,
            ConsoleSocketFd = route.ToInit?.Value ?? -1,
            SeccompFd = seccomp?.ReadEnd.Value ?? -1,
            ExtraFds = extraFds,
            ExtraEnv = extraEnv,
            NewUserNamespace = types.Contains("user"),
            HostMountNamespace = !types.Contains("mount"),
        };
        using var childCgroups = CgroupsOf(state, Cgroups.SubCgroups.Parse(r.SubCgroups));
        int[] inherited = [.. route.ToInit is null ? [] : new[] { route.ToInit.Value }, .. seccomp is null ? [] : new[] { seccomp.ReadEnd.Value }];
        var plan = new LaunchPlan(spec.Linux, new NamespacePlan(0, false, joins), inherited,
            DenySetgroups: false, childCgroups, o.Store.DirOf(r.Id), process.OomScoreAdj,
            InitialAffinity: process.ExecCPUAffinity?.Initial is { Length: > 0 } initial ? Affinity.Parse(initial, "process.execCPUAffinity.initial") : null,
            BeforeRelease: config.Linux?.IntelRdt is { } rdt ? ResctrlGroup.Plan(rdt, r.Id, ResctrlGroup.HostRoot())!.Join : null,
            Debug: o.Debug);
        o.Debug?.Invoke($"nsexec container setup: cloning an exec init into {r.Id} (joins: {string.Join(", ", joins.Select(j => j.Type))})");
        using var init = Launcher.Start(plan, _ => initConfig);
        try
        {
            Launcher.WaitReady(init, () => { }, o.Warn, o.Debug, fd => SeccompListener.Send(spec.Linux!.Seccomp!, spec.OciVersion ?? "", init.Pid,
                HookStates.Json(state, ContainerStatus.Running, state.InitPid), fd));
            Faults.At(FaultPoint.Ready);
            Launcher.WaitExeced(init, o.Debug);
        }
        catch (Exception)
        {
            Launcher.Reap(init.Pid, kill: true);
            throw;
        }
        if (r.PidfdSocket is not null)
            UnixSocket.SendPidfd(r.PidfdSocket, init.Pid, $"--pidfd-socket {r.PidfdSocket}");
        if (r.PidFile is not null)
            PidFile.Write(r.PidFile, init.Pid);
        int master = route.ReceiveMaster();
        if (r.Detach)
            return 0;
        using var foreground = new Foreground(init.Pid, master);
        return foreground.Wait();
    }
}

/// <summary>The process an exec runs: --process FILE as a whole, or the container's process with the flags applied.</summary>
public static class ExecProcess
{
    public static Spec.Process Build(RuntimeSpec config, ExecRequest r)
    {
        if (r.ProcessFile is not null)
        {
            var p = SpecReader.ReadFile(r.ProcessFile, SpecDocuments.Process, "process.json");
            if (p.Args is not { Count: > 0 })
                throw new ConfigError("process.json: args: must not be empty");
            // As runc: the container's execCPUAffinity unless the process names its own.
            return p with { ExecCPUAffinity = p.ExecCPUAffinity ?? config.Process?.ExecCPUAffinity };
        }
        if (r.Args.Count == 0)
            throw new RuncsException("exec: a command to run is required (or --process)");
        var baseProcess = config.Process ?? new Spec.Process();
        var user = baseProcess.User;
        if (r.User is { Length: > 0 } u)
        {
            var parts = u.Split(':');
            if (!uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
                || parts.Length > 2
                || (parts.Length == 2 && !uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                throw new RuncsException($"--user {u}: expected <uid>[:<gid>]");
            user = user with { Uid = uid, Gid = parts.Length == 2 ? uint.Parse(parts[1], CultureInfo.InvariantCulture) : user.Gid };
        }
        if (r.AdditionalGids.Count > 0)
        {
            var gids = new List<uint>();
            foreach (var g in r.AdditionalGids.SelectMany(g => g.Split(',')))
            {
                if (!uint.TryParse(g, NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
                    throw new RuncsException($"--additional-gids {g}: not a number");
                gids.Add(gid);
            }
            user = user with { AdditionalGids = gids };
        }
        var caps = baseProcess.Capabilities;
        if (r.Caps.Count > 0)
        {
            foreach (var c in r.Caps)
            {
                if (Array.IndexOf(Known.Capabilities, c) < 0)
                    throw new RuncsException($"--cap {c}: unknown capability");
            }
            IReadOnlyList<string> Add(IReadOnlyList<string>? set) => (set ?? []).Concat(r.Caps).Distinct().ToList();
            // runc's rule: not into the inheritable set; into the ambient one only where the
            // config has an inheritable set (an ambient capability needs to be inheritable).
            caps = (caps ?? new Capabilities()) with
            {
                Bounding = Add(caps?.Bounding), Effective = Add(caps?.Effective), Permitted = Add(caps?.Permitted),
                Ambient = caps?.Inheritable is null ? caps?.Ambient : Add(caps.Ambient),
            };
        }
        return baseProcess with
        {
            Args = r.Args,
            Terminal = r.Tty,
            ConsoleSize = null,
            Cwd = r.Cwd is { Length: > 0 } cwd ? cwd : baseProcess.Cwd,
            Env = (baseProcess.Env ?? []).Concat(r.Env).ToList(),
            User = user,
            Capabilities = caps,
            NoNewPrivileges = baseProcess.NoNewPrivileges || r.NoNewPrivs,
            // Like the config's own fields: applied only where the LSM is enabled (not on this host).
            ApparmorProfile = r.ApparmorProfile is { Length: > 0 } a ? a : baseProcess.ApparmorProfile,
            SelinuxLabel = r.ProcessLabel is { Length: > 0 } l ? l : baseProcess.SelinuxLabel,
        };
    }
}
