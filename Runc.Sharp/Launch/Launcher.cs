using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Launch;

/// <summary>What the parent provides for one launch.</summary>
/// <param name="Linux">The config's linux section, for the id maps.</param>
/// <param name="InheritedFds">Descriptors the init inherits (fifo, console socket); their numbers travel in the config.</param>
/// <param name="Cgroups">The cgroups the child enters before it execs the init.</param>
/// <param name="StateDir">The container's state dir (for <see cref="SelfImage.Create"/>).</param>
/// <param name="OomScoreAdj">process.oomScoreAdj, written by the parent before the release, through the host's /proc.</param>
/// <param name="BeforeRelease">Called with the child's pid while it still waits for the release (the systemd scope, the resctrl group).</param>
public sealed record LaunchPlan(
    Spec.Linux? Linux,
    NamespacePlan Namespaces,
    IReadOnlyList<int> InheritedFds,
    bool DenySetgroups,
    ChildCgroups Cgroups,
    string StateDir,
    int? OomScoreAdj,
    Action<int>? BeforeRelease = null,
    byte[]? InitialAffinity = null,
    Action<string>? Debug = null);

/// <summary>A started init stage: its host pid and the parent's end of the channel.</summary>
public sealed class LaunchedInit(int pid, InitChannel channel, ChildSteps childSteps, IReadOnlyList<int> passedFds) : IDisposable
{
    public int Pid { get; } = pid;
    public InitChannel Channel { get; } = channel;
    /// <summary>What the raw child did before exec, to name a step that failed.</summary>
    public ChildSteps ChildSteps { get; } = childSteps;
    /// <summary>The descriptors the init inherited (the same numbers here).</summary>
    public IReadOnlyList<int> PassedFds { get; } = passedFds;

    /// <summary>Hands the init over once the container is recorded: it stops dying with runcs (see <see cref="MessageType.Commit"/>).</summary>
    public void Commit() => Channel.Send(MessageType.Commit);

    public void Dispose() => Channel.Dispose();
}

/// <summary>
/// The parent's half of a launch: clone the child (which enters its cgroups), write its
/// id maps, release it, send the config, then serve its requests until it is ready (or
/// report its failure).
/// </summary>
public static class Launcher
{
    /// <param name="prepare">Called with the init's host pid before the config is sent; returns that config.</param>
    public static LaunchedInit Start(LaunchPlan plan, Func<int, InitConfig> prepare)
    {
        var (parentEnd, childEnd) = UnixSocket.SeqPacketPair();
        using var image = SelfImage.Create(plan.StateDir, plan.Debug);
        var joinFds = new List<(FileDescriptor Fd, string Type)>();
        Spawner.Child? child = null;
        try
        {
            foreach (var (type, path) in plan.Namespaces.Joins)
            {
                try
                {
                    joinFds.Add((FileDescriptor.Open(path, O.RDONLY), type));
                }
                catch (SyscallException e)
                {
                    throw new RuncsException($"linux.namespaces: {type} namespace {path}: {SyscallException.Describe(e.Errno)}");
                }
            }
            var mountJoin = joinFds.FirstOrDefault(j => j.Type == "mount").Fd;
            var inherited = plan.InheritedFds.ToList();
            foreach (var fd in inherited.Append(childEnd.Value))
                SysCall.SetCloexec(fd, false);
            var pidJoin = joinFds.FirstOrDefault(j => j.Type == "pid").Fd;
            bool joinsUser = joinFds.Any(j => j.Type == "user");
            // Time offsets go in before any process enters the time namespace: the child
            // unshares it (and the pid namespace, so the init is still pid 1) and forks the init.
            var offsets = plan.Linux?.TimeOffsets is { Count: > 0 } o && (plan.Namespaces.CloneFlags & Clone.NEWTIME) != 0 ? o : null;
            // New namespaces beside a joined user namespace must be owned by it, or its root
            // cannot mount (or set a hostname) in them: the child unshares them all after the
            // join and forks the init.
            ulong unshare = joinsUser ? plan.Namespaces.CloneFlags
                : offsets is null ? 0 : plan.Namespaces.CloneFlags & (Clone.NEWTIME | Clone.NEWPID);
            // A child that forks the init joins the pid namespace itself, so that the fork's pid
            // is one of the host's; and only root may enter a pid namespace owned by a user
            // namespace it is not in, which a rootless child can once it joined that user namespace.
            bool forkInside = pidJoin is not null && (unshare != 0 || joinsUser && Libc.geteuid() != 0);
            var childJoinFds = joinFds.Where(j => j.Type != "mount" && (j.Type != "pid" || forkInside)).ToList();
            var request = new SpawnRequest(
                plan.Namespaces.CloneFlags & ~unshare,
                childJoinFds.Select(j => (j.Fd.Value, NamespacePlan.FlagOf(j.Type))).ToList(),
                childEnd.Value,
                image.Value,
                ["runcs", "init", childEnd.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                BecomeRootInUserNamespace: plan.Namespaces.NewUser || joinsUser,
                ForkInside: forkInside,
                UnshareBeforeFork: unshare,
                TimeOffsets: offsets is null ? null : TimeOffsetsText(offsets),
                Cgroups: plan.Cgroups,
                MountNamespaceFd: mountJoin?.Value ?? -1,
                ParentChannelFd: parentEnd.Value,
                Affinity: plan.InitialAffinity);
            child = pidJoin is null || forkInside ? Spawner.SpawnChecked(request) : PidNamespace.SpawnInside(pidJoin, () => Spawner.SpawnChecked(request));
            Faults.At(FaultPoint.Cloned);
            // runc's nsexec logs this first, before the child is in a cpuset that could change it.
            plan.Debug?.Invoke($"nsexec[{child.Pid}]: affinity: 0x{Linux.Process.Affinity.FirstCpus(Linux.Process.Affinity.Get(child.Pid)):x}");
            childEnd.Dispose();
            foreach (var fd in inherited)
                SysCall.SetCloexec(fd, true);
            var childSteps = new ChildSteps(childJoinFds.Select(j => j.Type).ToList(), plan.Cgroups.Tasks.Select(t => t.Dir).ToList());
            var channel = new InitChannel(parentEnd);
            int initPid = child.Pid;
            LaunchedInit? launched = null;
            bool released = false;
            try
            {
                if (plan.Namespaces.NewUser)
                    IdMaps.Write(child.Pid, plan.Linux!, plan.DenySetgroups);
                // A forked init inherits it from the child.
                if (plan.OomScoreAdj is { } adj)
                    Linux.Process.ProcessAttributes.SetOomScoreAdj(child.Pid, adj);
                plan.BeforeRelease?.Invoke(child.Pid);
                Release(child, channel, childSteps);
                Faults.At(FaultPoint.Released);
                if (request.Forks)
                    initPid = ReceiveForkedPid(channel, child.Pid, childSteps);
                launched = new LaunchedInit(initPid, channel, childSteps, inherited);
                var config = prepare(initPid);
                SendConfig(launched, config with { HostPid = initPid });
                Faults.At(FaultPoint.ConfigSent);
                released = true;
            }
            finally
            {
                if (!released)
                {
                    Reap(initPid, kill: true);
                    if (initPid != child.Pid)
                        Reap(child.Pid, kill: true);
                    channel.Dispose();
                }
            }
            return launched;
        }
        finally
        {
            child?.Dispose();
            childEnd.Dispose();
            foreach (var (fd, _) in joinFds)
                fd.Dispose();
        }
    }

    /// <summary>A child that failed before its release (a cgroup it could not join) has closed the pipe; its report says why.</summary>
    private static void Release(Spawner.Child child, InitChannel channel, ChildSteps steps)
    {
        try
        {
            child.Release();
        }
        catch (SyscallException e) when (e.Errno == Errno.EPIPE)
        {
            if (channel.Receive() is { Type: MessageType.ChildFailed } failed)
                throw new RuncsException(Spawner.DescribeChildFailure(failed.Payload, steps));
            throw new RuncsException($"container init exited before its release ({ExitDescription(child.Pid)})");
        }
    }

    /// <summary>/proc/PID/timens_offsets lines: "monotonic SECS NANOSECS".</summary>
    private static string TimeOffsetsText(IReadOnlyDictionary<string, Spec.TimeOffset> offsets) =>
        string.Concat(offsets.Select(kv => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value.Secs} {kv.Value.Nanosecs}\n")));

    /// <summary>The fork-inside child's report: the init's host pid; the child itself then exits and is reaped here.</summary>
    private static int ReceiveForkedPid(InitChannel channel, int childPid, ChildSteps childSteps)
    {
        var msg = channel.Receive();
        switch (msg?.Type)
        {
            case MessageType.ChildForked when msg.Value.Payload.Length >= 4:
                Reap(childPid, kill: false);
                return BitConverter.ToInt32(msg.Value.Payload, 0);
            case MessageType.ChildFailed:
                throw new RuncsException(Spawner.DescribeChildFailure(msg.Value.Payload, childSteps));
            default:
                throw new RuncsException($"container init's parent exited before it forked the init ({ExitDescription(childPid)})");
        }
    }

    /// <summary>
    /// A child that failed before exec closes its end early, so the send fails; what it
    /// wrote before exiting says why.
    /// </summary>
    private static void SendConfig(LaunchedInit init, InitConfig config)
    {
        try
        {
            init.Channel.Send(MessageType.Config, InitConfigJson.Encode(config));
        }
        catch (SyscallException e) when (e.Errno == Errno.EPIPE)
        {
            if (init.Channel.Receive() is { Type: MessageType.ChildFailed } failed)
                throw new RuncsException(Spawner.DescribeChildFailure(failed.Payload, init.ChildSteps));
            throw new RuncsException($"container init exited before it was configured ({ExitDescription(init.Pid)})");
        }
    }

    /// <summary>
    /// Serves the init until it reports Ready; runs the runtime-namespace hooks when asked,
    /// and hands a seccomp notify fd (owned by the callee) to <paramref name="seccompFd"/>.
    /// </summary>
    public static void WaitReady(LaunchedInit init, Action runHooks, Action<string> warn, Action<string>? debug, Action<int>? seccompFd = null)
    {
        while (true)
        {
            var msg = init.Channel.Receive();
            switch (msg?.Type)
            {
                case null:
                    throw new RuncsException($"container init exited before it was ready ({ExitDescription(init.Pid)})");
                case MessageType.Ready:
                    return;
                case MessageType.Warning:
                    warn(msg.Value.Text);
                    break;
                case MessageType.Debug:
                    debug?.Invoke(msg.Value.Text);
                    break;
                case MessageType.MountSourceRequest:
                    SendBindSource(init, msg.Value.Payload);
                    break;
                case MessageType.Error:
                    throw InitFailure.Decode(msg.Value.Payload);
                case MessageType.ChildFailed:
                    throw new RuncsException(Spawner.DescribeChildFailure(msg.Value.Payload, init.ChildSteps));
                case MessageType.SeccompFdFollows:
                    int fd = UnixSocket.RecvFd(init.Channel.Fd.Value, "seccomp notify fd from container init");
                    if (seccompFd is null)
                    {
                        Libc.close(fd);
                        throw new RuncsException("container init sent a seccomp notify fd nobody asked for");
                    }
                    seccompFd(fd);
                    break;
                case MessageType.RunHooks:
                    try
                    {
                        runHooks();
                    }
                    catch (RuncsException e)
                    {
                        init.Channel.Send(MessageType.Error, InitFailure.Encode(e));
                        throw;
                    }
                    init.Channel.Send(MessageType.HooksDone);
                    break;
                default:
                    throw new RuncsException($"unexpected message {msg.Value.Type} from container init");
            }
        }
    }

    private static void SendBindSource(LaunchedInit init, byte[] request)
    {
        FileDescriptor tree;
        try
        {
            tree = BindSources.OpenFor(init.Pid, BindSources.Decode(request), init.PassedFds);
        }
        catch (RuncsException e)
        {
            init.Channel.Send(MessageType.Error, InitFailure.Encode(e));
            throw;
        }
        using (tree)
        {
            init.Channel.Send(MessageType.MountSourceFollows);
            UnixSocket.SendFd(init.Channel.Fd.Value, tree.Value, [(byte)MessageType.MountSourceFd], "bind source for the container's init");
        }
    }

    /// <summary>
    /// After Ready, for a process that execs right away (exec mode): the channel is
    /// close-on-exec in the init, so end of file means execve happened; an Error
    /// message means the last steps failed.
    /// </summary>
    public static void WaitExeced(LaunchedInit init, Action<string>? debug)
    {
        while (init.Channel.Receive() is { } msg)
        {
            if (msg.Type == MessageType.Error)
                throw InitFailure.Decode(msg.Payload);
            if (msg.Type == MessageType.Debug)
                debug?.Invoke(msg.Text);
        }
    }

    private static unsafe string ExitDescription(int pid)
    {
        int status;
        int r = Libc.waitpid(pid, &status, 0);
        if (r != pid)
            return "status unknown";
        return (status & 0x7f) == 0 ? $"exit status {(status >> 8) & 0xff}" : $"killed by signal {status & 0x7f}";
    }

    /// <summary>Kills (optionally) and reaps a child, ignoring one that is already gone.</summary>
    public static unsafe void Reap(int pid, bool kill)
    {
        if (kill)
            Libc.kill(pid, Sig.KILL);
        int status;
        while (Libc.waitpid(pid, &status, 0) < 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == Errno.EINTR)
        {
        }
    }
}
