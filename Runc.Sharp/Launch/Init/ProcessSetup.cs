using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;
using Runc.Sharp.Linux.Process;

namespace Runc.Sharp.Launch.Init;

/// <summary>process.*: the attributes set while still root, then the switch to the container user.</summary>
public static class ProcessSetup
{
    public static void ApplyAttributes(InitConfig c, Spec.Process p, Action<string> warn)
    {
        ProcessAttributes.CheckRlimits(p.Rlimits);
        if (c.Spec.Linux?.Personality is { } persona)
            ProcessAttributes.SetPersonality(persona);
        if (c.Spec.Linux?.MemoryPolicy is { } memoryPolicy)
            ProcessAttributes.SetMemoryPolicy(memoryPolicy);
        if (p.IoPriority is { } io)
            ProcessAttributes.SetIoPriority(io);
        if (p.Scheduler is { } sched)
            ProcessAttributes.SetScheduler(sched, cpusetLimited: !string.IsNullOrEmpty(c.Spec.Linux?.Resources?.Cpu?.Cpus));
        SetAffinityInCgroups(c, p, warn);
        if (!c.NoNewKeyring)
            ProcessAttributes.JoinSessionKeyring("_ses." + c.Id);
    }

    /// <summary>
    /// runc 1.3's affinity once the process is in its cgroups (it was born with
    /// execCPUAffinity.initial, see <see cref="Launcher"/>): an exec gets .final if set and
    /// keeps .initial if only that is set; the container's init, and an exec with neither,
    /// get every CPU of their cpuset rather than runcs's own affinity. This thread is the one
    /// that calls execve.
    /// </summary>
    private static void SetAffinityInCgroups(InitConfig c, Spec.Process p, Action<string> warn)
    {
        var affinity = c.Exec ? p.ExecCPUAffinity : null;
        if (affinity?.Final is { Length: > 0 } final)
            Affinity.Set(0, Affinity.Parse(final, "process.execCPUAffinity.final"), "process.execCPUAffinity.final");
        else if (affinity?.Initial is not { Length: > 0 } && Affinity.TryReset() is var errno and not 0)
            warn($"resetting the CPU affinity of pid {c.HostPid} failed -- the container process may inherit runcs's CPU affinity: sched_setaffinity: {SyscallException.Describe(errno)}");
    }

    /// <summary>
    /// runc's finalizeNamespace order: the working directory while still root (a directory
    /// only root can reach is then fine; one only the user can reach is tried again after the
    /// switch), the stdio handed to the user, drop the bounding set, keep capabilities across
    /// the uid change, switch uid/gid/groups, then set the remaining capability sets. All on
    /// this thread, which is the one that calls execve.
    /// </summary>
    public static void SwitchUser(InitConfig c, Spec.Process p, Action<string> warn)
    {
        var cwd = string.IsNullOrEmpty(p.Cwd) ? "/" : p.Cwd;
        bool inCwd = ChangeDirectory(cwd, retryAsUser: true);
        StdioOwnership.GiveTo(p.User.Uid);
        var caps = p.Capabilities is null ? null : CapabilitySets.From(p.Capabilities);
        if (caps is not null)
            CapabilityControl.DropBounding(caps.Bounding);
        CapabilityControl.SetKeepCaps(true);
        bool groupsAllowed = !c.NewUserNamespace || File.ReadAllText("/proc/self/setgroups").Trim() == "allow";
        Credentials.Apply(p.User.Uid, p.User.Gid, p.User.AdditionalGids ?? [], groupsAllowed);
        CapabilityControl.SetKeepCaps(false);
        if (caps is not null)
        {
            CapabilityControl.Set(caps.Effective, caps.Permitted, caps.Inheritable);
            CapabilityControl.RaiseAmbient(caps.Ambient, warn);
        }
        Libc.umask(p.User.Umask ?? 0x12 /* 0022 */);
        if (!inCwd)
            ChangeDirectory(cwd, retryAsUser: false);
        EnsureCwdInside(cwd);
    }

    /// <summary>False when the directory is denied and may be tried again as the user.</summary>
    private static bool ChangeDirectory(string cwd, bool retryAsUser)
    {
        if (Libc.chdir(cwd) == 0)
            return true;
        int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        if (retryAsUser && errno is Errno.EACCES or Errno.EPERM)
            return false;
        throw new Linux.SyscallException("chdir to cwd", $"(\"{cwd}\") set in config.json (process.cwd)", errno);
    }

    /// <summary>
    /// A cwd reached through a descriptor the init still holds (/proc/self/fd/N: CVE-2024-21626)
    /// can lie outside the container's root; the kernel then has no path for it from the root.
    /// </summary>
    private static unsafe void EnsureCwdInside(string cwd)
    {
        const int size = 4096;
        byte* buf = stackalloc byte[size];
        if (Libc.getcwd(buf, size) == null)
        {
            int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            // ENOENT is the kernel's answer for a directory the root cannot reach; anything
            // else (a seccomp filter denying getcwd, say) leaves the question open, so it fails too, as in runc.
            if (errno != Errno.ENOENT)
                throw new RuncsException($"process.cwd {cwd}: cannot verify that the working directory is inside the container: {Linux.SyscallException.Describe(errno)}");
        }
        if (buf[0] != (byte)'/')
            throw new RuncsException($"process.cwd {cwd}: the working directory is outside the container's root (possible container breakout, CVE-2024-21626)");
    }
}
