using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Launch;

/// <summary>What the parent provides for one launch.</summary>
/// <param name="Linux">The config's linux section, for the id maps.</param>
/// <param name="InheritedFds">Descriptors the init inherits (fifo, console socket); their numbers travel in the config.</param>
public sealed record LaunchPlan(
    Spec.Linux? Linux,
    NamespacePlan Namespaces,
    IReadOnlyList<int> InheritedFds,
    bool DenySetgroups);

/// <summary>A started init stage: its host pid and the parent's end of the channel.</summary>
public sealed class LaunchedInit(int pid, InitChannel channel) : IDisposable
{
    public int Pid { get; } = pid;
    public InitChannel Channel { get; } = channel;
    public void Dispose() => Channel.Dispose();
}

/// <summary>
/// The parent's half of a launch: clone the child, write its id maps, let the caller
/// place it in cgroups, release it, send the config, then serve its requests until it
/// is ready (or report its failure).
/// </summary>
public static class Launcher
{
    /// <param name="prepare">Called with the child's host pid before it is released (cgroup placement); returns the config to send.</param>
    public static LaunchedInit Start(LaunchPlan plan, Func<int, InitConfig> prepare)
    {
        var (parentEnd, childEnd) = UnixSocket.SeqPacketPair();
        using var image = SelfImage.Create();
        var joinFds = new List<FileDescriptor>();
        Spawner.Child? child = null;
        try
        {
            foreach (var (type, path) in plan.Namespaces.Joins)
            {
                try
                {
                    joinFds.Add(FileDescriptor.Open(path, O.RDONLY));
                }
                catch (SyscallException e)
                {
                    throw new RuncsException($"linux.namespaces: {type} namespace {path}: {SyscallException.Describe(e.Errno)}");
                }
            }
            foreach (var fd in plan.InheritedFds.Append(childEnd.Value))
                SysCall.SetCloexec(fd, false);
            child = Spawner.Spawn(new SpawnRequest(
                plan.Namespaces.CloneFlags,
                joinFds.Select(f => f.Value).ToList(),
                plan.Namespaces.UnshareAfterRelease,
                childEnd.Value,
                image.Value,
                ["runcs", "init", childEnd.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)]));
            childEnd.Dispose();
            foreach (var fd in plan.InheritedFds)
                SysCall.SetCloexec(fd, true);
            var launched = new LaunchedInit(child.Pid, new InitChannel(parentEnd));
            bool released = false;
            try
            {
                if (plan.Namespaces.NewUser)
                    IdMaps.Write(child.Pid, plan.Linux!, plan.DenySetgroups);
                var config = prepare(child.Pid);
                child.Release();
                launched.Channel.SendJson(MessageType.Config, config with { HostPid = child.Pid }, LaunchJson.Default.InitConfig);
                released = true;
            }
            finally
            {
                if (!released)
                {
                    Reap(child.Pid, kill: true);
                    launched.Dispose();
                }
            }
            return launched;
        }
        finally
        {
            child?.Dispose();
            childEnd.Dispose();
            foreach (var fd in joinFds)
                fd.Dispose();
        }
    }

    /// <summary>Serves the init until it reports Ready; runs the runtime-namespace hooks when asked.</summary>
    public static void WaitReady(LaunchedInit init, Action runHooks, IReadOnlyList<string> joinedNamespaces)
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
                case MessageType.Error:
                    throw new RuncsException(msg.Value.Text);
                case MessageType.ChildFailed:
                    throw new RuncsException(Spawner.DescribeChildFailure(msg.Value.Payload, joinedNamespaces));
                case MessageType.RunHooks:
                    try
                    {
                        runHooks();
                    }
                    catch (RuncsException e)
                    {
                        init.Channel.Send(MessageType.Error, e.Message);
                        throw;
                    }
                    init.Channel.Send(MessageType.HooksDone);
                    break;
                default:
                    throw new RuncsException($"unexpected message {msg.Value.Type} from container init");
            }
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
