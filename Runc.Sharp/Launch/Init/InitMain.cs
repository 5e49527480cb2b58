using System.Globalization;
using Runc.Sharp.Linux;

namespace Runc.Sharp.Launch.Init;

/// <summary>
/// The init stage: `runcs init &lt;channel-fd&gt;`, exec'd from the sealed image inside the
/// new namespaces. It receives its config, builds the container and becomes the
/// user's process. Every failure, of whatever type, goes back to the parent as one typed
/// Error message (<see cref="InitFailure"/>); with the parent gone there is nobody to tell,
/// and the init just exits.
/// </summary>
public static class InitMain
{
    public static int Run(string[] args)
    {
        if (args.Length != 2 || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var fd))
        {
            StdErr.WriteLine("runcs: init is internal to runcs and cannot be run by hand");
            return 1;
        }
        var inheritedFds = SysCall.OpenDescriptors();
        using var channel = new InitChannel(new FileDescriptor(fd));
        try
        {
            var first = channel.Receive();
            if (first is not { Type: MessageType.Config } msg)
                throw new ParentGone();
            var config = InitConfigJson.Decode(msg.Payload);
            if (config.Debug)
                channel.Send(MessageType.Debug, "child process in init()");
            int[] own = [fd, config.FifoFd, config.ConsoleSocketFd, config.SeccompFd, .. config.IdMapFds.Select(f => f.Fd)];
            foreach (var inherited in own.Where(f => f >= 0))
                SysCall.SetCloexec(inherited, true);
            // Whatever else runcs's caller left open goes no further than here (runc's init
            // closes them too): the parked init must hold nothing of the host's but its own.
            foreach (var leaked in inheritedFds.Where(f => f > 2 && (f >= 3 + config.ExtraFds) && Array.IndexOf(own, f) < 0))
                Linux.Native.Libc.close(leaked);
            RuntimeEntropy.Detach(inheritedFds);
            // This process entered its cgroups before it exec'd the init, so a new cgroup
            // namespace now has the container's cgroup as its root.
            if (config.PrivateCgroupNamespace && Linux.Native.Libc.unshare((int)Linux.Native.Clone.NEWCGROUP) != 0)
                throw SyscallException.FromLast("unshare(CLONE_NEWCGROUP)", "linux.namespaces cgroup");
            // While /proc is still the runtime's, before the config's mounts (CVE-2025-52881).
            if (!config.Exec)
                Sysctls.Apply(config.Spec.Linux?.Sysctl);
            InitSequence.Run(config, channel);
            return 0;
        }
        catch (ParentGone)
        {
            return 1;
        }
        catch (Exception e)
        {
            Report(channel, e);
            return 1;
        }
    }

    private static void Report(InitChannel channel, Exception e)
    {
        try
        {
            channel.Send(MessageType.Error, InitFailure.Encode(e));
        }
        catch (SyscallException)
        {
            // The parent is gone (EPIPE): nobody is left to tell.
        }
    }
}

/// <summary>The parent closed the channel or gave up (its own error already reached the user): the init exits quietly.</summary>
public sealed class ParentGone() : RuncsException("runcs exited before the container was handed over");
