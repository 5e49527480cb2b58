using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Mounts;
using Runc.Sharp.Linux.Native;
using Runc.Sharp.Linux.Process;
using Runc.Sharp.Linux.Seccomp;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Launch.Init;

/// <summary>The init stage's steps, in runc's order.</summary>
public static class InitSequence
{
    public static void Run(InitConfig c, InitChannel channel)
    {
        if (c.Exec)
        {
            RunExec(c, channel);
            return;
        }
        var spec = c.Spec;
        var process = spec.Process ?? throw new RuncsException("process: must be set");
        Libc.umask(0);
        // A handle on this process's fd table that stays valid after pivot_root,
        // whatever the container mounts at /proc.
        var procSelfFd = FileDescriptor.Open("/proc/self/fd", O.PATH | O.DIRECTORY);

        RootfsSetup.Prepare(c, channel);
        RootfsSetup.SwitchRoot(c);

        if (process.Terminal)
            ConsoleSetup.Attach(c, process, bindDevConsole: true);
        RootfsSetup.Finalize(spec);
        if (!string.IsNullOrEmpty(spec.Hostname) && Libc.sethostname(spec.Hostname, (nuint)System.Text.Encoding.UTF8.GetByteCount(spec.Hostname)) != 0)
            throw SyscallException.FromLast("sethostname", $"\"{spec.Hostname}\" (hostname)");
        if (!string.IsNullOrEmpty(spec.Domainname) && Libc.setdomainname(spec.Domainname, (nuint)System.Text.Encoding.UTF8.GetByteCount(spec.Domainname)) != 0)
            throw SyscallException.FromLast("setdomainname", $"\"{spec.Domainname}\" (domainname)");
        RootfsSetup.ProtectPaths(spec);

        ProcessSetup.ApplyAttributes(c, process, text => channel.Send(MessageType.Warning, text));
        procSelfFd = ProcFdTable.PreferContainers(procSelfFd);
        var fifo = new FifoGate(procSelfFd, c.FifoFd);
        // Before the filter, which may refuse the thread the runtime's signal handling starts.
        ParkedSignals.EndOnTermination();
        LeaveParentDeathSignal();
        var seccomp = PrepareSeccomp(c, process, channel);
        ProcessSetup.SwitchUser(c, process, text => channel.Send(MessageType.Warning, text));
        var exec = Executable.Resolve(process, c.ExtraEnv);
        LoadUnderNoNewPrivileges(process, seccomp);

        if (c.Debug)
            channel.Send(MessageType.Debug, "init: closing the pipe to signal completion (ready, parked on exec.fifo)");
        channel.Send(MessageType.Ready);
        AwaitHandover(channel);
        fifo.Wait();
        // From here the parent is `start` (or gone): a failure goes to it through the fifo.
        try
        {
            for (int i = 0; i < HookPhases.Of(spec.Hooks, HookPhases.StartContainer).Count; i++)
                HookProcess.Run(HookPhases.Of(spec.Hooks, HookPhases.StartContainer)[i], HookPhases.StartContainer, i, c.HookState, exec.Env);
            fifo.Release();
            ExecUserProcess(c, process, exec);
        }
        catch (Exception e)
        {
            fifo.Fail(e);
            throw new ParentGone();
        }
    }

    /// <summary>
    /// Until here the init died with its parent (the raw child set PR_SET_PDEATHSIG). From here
    /// on it only works through to Ready and then waits on the channel, where the parent's death
    /// is end of file; the signal itself must go before the parent's normal exit can race a
    /// handover, and before the seccomp filter, which may deny prctl.
    /// </summary>
    private static void LeaveParentDeathSignal() => ProcessAttributes.ClearParentDeathSignal();

    /// <summary>
    /// Create has recorded the container when its Commit comes; end of file first means it
    /// died, and the container with it. Read with read(2): the filter is loaded by now, and
    /// every profile allows read.
    /// </summary>
    private static void AwaitHandover(InitChannel channel)
    {
        if (channel.ReadSmall() != MessageType.Commit)
            throw new ParentGone();
    }

    /// <summary>
    /// Receives linux.seccomp as the parent compiled it (its errors surface here, at create). Without no_new_privs, loading it
    /// needs CAP_SYS_ADMIN, so it is loaded now, before the user switch drops it (runc's
    /// order); otherwise after the switch (<see cref="LoadUnderNoNewPrivileges"/>). A filter
    /// that notifies is loaded now either way, and its listener fd sent to the parent.
    /// </summary>
    private static SeccompBpf? PrepareSeccomp(InitConfig c, Spec.Process process, InitChannel channel)
    {
        if (c.SeccompFd < 0)
            return null;
        var program = SeccompBpf.Receive(c.SeccompFd);
        if (c.Debug)
            channel.Send(MessageType.Debug, $"seccomp filter flags: {program.Flags}");
        if (program.Notifies)
        {
            // The listener needs the notify fd while runcs is still there to pass it on, so a
            // notifying filter is loaded now, as root (CAP_SYS_ADMIN allows it without no_new_privs).
            int fd = program.Load();
            channel.Send(MessageType.SeccompFdFollows);
            UnixSocket.SendFd(channel.Fd.Value, fd, [(byte)MessageType.SeccompFd], "seccomp notify fd");
            Libc.close(fd);
            return null;
        }
        if (!process.NoNewPrivileges)
            program.Load();
        return program;
    }

    /// <summary>
    /// process.noNewPrivileges: set, then the filter loaded, before Ready, as runc 1.3 does:
    /// the startContainer hooks then run under the container's filter, and a filter the kernel
    /// refuses fails create, not start.
    /// </summary>
    private static void LoadUnderNoNewPrivileges(Spec.Process process, SeccompBpf? seccomp)
    {
        if (!process.NoNewPrivileges)
            return;
        CapabilityControl.SetNoNewPrivs();
        seccomp?.Load();
    }

    /// <summary>exec mode: the container exists; only the process is set up.</summary>
    private static void RunExec(InitConfig c, InitChannel channel)
    {
        var process = c.Spec.Process ?? throw new RuncsException("process: must be set");
        if (c.HostMountNamespace)
            RootSwitch.Chroot(c.Rootfs);
        if (process.Terminal)
            ConsoleSetup.Attach(c, process, bindDevConsole: false);
        ProcessSetup.ApplyAttributes(c with { NoNewKeyring = true }, process, text => channel.Send(MessageType.Warning, text));
        LeaveParentDeathSignal();
        var seccomp = PrepareSeccomp(c, process, channel);
        ProcessSetup.SwitchUser(c, process, text => channel.Send(MessageType.Warning, text));
        var exec = Executable.Resolve(process, c.ExtraEnv);
        LoadUnderNoNewPrivileges(process, seccomp);
        channel.Send(MessageType.Ready);
        if (c.Debug)
            channel.Send(MessageType.Debug, $"setns_init: about to exec {exec.Path}");
        ExecUserProcess(c, process, exec);
    }

    /// <summary>The last steps, on the thread that calls execve: close what the container must not get, limits, exec.</summary>
    private static void ExecUserProcess(InitConfig c, Spec.Process process, Executable exec)
    {
        SysCall.CloexecFrom(3);
        for (int fd = 3; fd < 3 + c.ExtraFds; fd++)
            SysCall.SetCloexec(fd, false);
        // Limits such as RLIMIT_AS would starve the runtime's own threads and heap: set them last.
        ProcessAttributes.SetRlimits(process.Rlimits);
        exec.Exec();
    }
}
