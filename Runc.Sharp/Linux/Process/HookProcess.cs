using System.Runtime.InteropServices;
using Runc.Sharp.Linux.Native;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Linux.Process;

/// <summary>
/// Runs one OCI hook: its path with exactly its args, args[0] included, and only its env,
/// the container state JSON on stdin, killed after its timeout. posix_spawn rather than
/// System.Diagnostics.Process because a hook's argv[0] need not be its path: dockerd's
/// libnetwork-setkey hook is /proc/PID/exe, which picks its job by argv[0].
/// </summary>
public static unsafe class HookProcess
{
    // glibc's POSIX_SPAWN_SETSIGDEF and POSIX_SPAWN_SETSIGMASK.
    private const short SetSigDefault = 0x04, SetSigMask = 0x08;
    private const int WNOHANG = 1;

    /// <param name="inheritedEnv">
    /// The environment of a hook that has none of its own: startContainer hooks have always
    /// had the container process's in runc, and tools rely on it; other hooks get an empty one.
    /// </param>
    /// <param name="cwd">
    /// The hook's working directory, where runc's is: the bundle for the hooks of create (runc
    /// works from it), the rootfs for createContainer; null keeps this process's.
    /// </param>
    public static void Run(Hook hook, string phase, int index, string stateJson, IReadOnlyList<string>? inheritedEnv = null, string? cwd = null)
    {
        // runc's words up to the colon ("error running prestart hook #1: …"), which tools match on.
        var what = $"{phase} hook #{index}: {hook.Path}";
        var args = hook.Args is { Count: > 0 } given ? given : [hook.Path!];
        int stdinRead, stdinWrite;
        int* fds = stackalloc int[2];
        if (Libc.pipe2(fds, O.CLOEXEC) < 0)
            throw SyscallException.FromLast("pipe2", what);
        (stdinRead, stdinWrite) = (fds[0], fds[1]);
        int pid;
        try
        {
            pid = Spawn(hook.Path!, args, hook.Env ?? inheritedEnv ?? [], stdinRead, cwd, what);
        }
        finally
        {
            Libc.close(stdinRead);
        }
        try
        {
            WriteState(stdinWrite, stateJson);
        }
        finally
        {
            Libc.close(stdinWrite);
        }
        int status = Wait(pid, hook.Timeout, what);
        // Go's wording, as runc reports a hook's death ("signal: bad system call").
        if ((status & 0x7f) != 0)
            throw new RuncsException($"error running {what}: signal: {Signals.Describe(status & 0x7f)}");
        if (status >> 8 != 0)
            throw new RuncsException($"error running {what}: exit status {status >> 8}");
    }

    /// <summary>Starts the hook with default signal handling and an empty mask (the runtime ignores SIGPIPE; the hook must not inherit that).</summary>
    private static int Spawn(string path, IReadOnlyList<string> args, IReadOnlyList<string> env, int stdin, string? cwd, string what)
    {
        using var argv = new NativeStringArray(args);
        using var envp = new NativeStringArray(env);
        using var file = new NativeStringArray([path]);
        byte* actions = stackalloc byte[256];
        byte* attr = stackalloc byte[512];
        byte* all = stackalloc byte[128];
        byte* none = stackalloc byte[128];
        Libc.posix_spawn_file_actions_init(actions);
        Libc.posix_spawnattr_init(attr);
        try
        {
            Libc.sigfillset(all);
            Libc.sigemptyset(none);
            Libc.posix_spawn_file_actions_adddup2(actions, stdin, 0);
            if (cwd is not null)
                Libc.posix_spawn_file_actions_addchdir_np(actions, cwd);
            Libc.posix_spawnattr_setflags(attr, SetSigDefault | SetSigMask);
            Libc.posix_spawnattr_setsigdefault(attr, all);
            Libc.posix_spawnattr_setsigmask(attr, none);
            int pid;
            int error = Libc.posix_spawn(&pid, file.Pointer[0], actions, attr, argv.Pointer, envp.Pointer);
            if (error != 0)
                throw new RuncsException($"error running {what}: {SyscallException.Describe(error)}");
            return pid;
        }
        finally
        {
            Libc.posix_spawnattr_destroy(attr);
            Libc.posix_spawn_file_actions_destroy(actions);
        }
    }

    /// <summary>Writes the state; a hook may exit without reading it (EPIPE), which is not an error.</summary>
    private static void WriteState(int fd, string stateJson) => SysCall.WriteAll(fd, System.Text.Encoding.UTF8.GetBytes(stateJson));

    /// <summary>Reaps the hook; past its timeout it is killed and reaped.</summary>
    private static int Wait(int pid, int? timeoutSeconds, string what)
    {
        int status;
        int pidfd = (int)Libc.syscall(Sys.pidfd_open, pid, 0, 0, 0, 0, 0);
        if (pidfd < 0)
            throw SyscallException.FromLast("pidfd_open", what);
        try
        {
            var pfd = new PollFd { Fd = pidfd, Events = 1 /* POLLIN: the process exited */ };
            var deadline = timeoutSeconds is { } t ? Environment.TickCount64 + t * 1000L : long.MaxValue;
            while (true)
            {
                int r = Libc.waitpid(pid, &status, WNOHANG);
                if (r == pid)
                    return status;
                if (r < 0 && Marshal.GetLastPInvokeError() != Errno.EINTR)
                    throw SyscallException.FromLast("waitpid", what);
                var left = deadline == long.MaxValue ? -1 : (int)Math.Max(0, deadline - Environment.TickCount64);
                if (left == 0)
                {
                    Libc.kill(pid, Sig.KILL);
                    while (Libc.waitpid(pid, &status, 0) < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR)
                    {
                    }
                    throw new RuncsException($"error running {what}: timed out after {timeoutSeconds}s");
                }
                if (Libc.poll(&pfd, 1, left) < 0 && Marshal.GetLastPInvokeError() != Errno.EINTR)
                    throw SyscallException.FromLast("poll", what);
            }
        }
        finally
        {
            Libc.close(pidfd);
        }
    }
}
