namespace Runc.Sharp.Linux.Native;

internal static class O
{
    public const int RDONLY = 0, WRONLY = 1, RDWR = 2, CREAT = 0x40, EXCL = 0x80, NOCTTY = 0x100, TRUNC = 0x200,
        APPEND = 0x400, NONBLOCK = 0x800, DIRECTORY = 0x10000, NOFOLLOW = 0x20000, CLOEXEC = 0x80000,
        PATH = 0x200000, SYNC = 0x101000;
}

internal static class Sys
{
    // x86_64 syscall numbers.
    public const long write = 1, close = 3, execve = 59, exit = 60, read = 0, setns = 308, pivot_root = 155,
        setresuid = 117, setresgid = 119, setgroups = 116, capset = 126, capget = 125, openat2 = 437,
        clone3 = 435, pidfd_open = 434, close_range = 436, seccomp = 317, keyctl = 250, mount_setattr = 442,
        open_tree = 428, move_mount = 429, ioprio_set = 251, sched_setattr = 314, set_mempolicy = 238,
        execveat = 322, readlinkat = 267, unshare = 272, getpid = 39, kill = 62, prctl = 157, pidfd_send_signal = 424,
        fsopen = 430, fsconfig = 431, fsmount = 432, faccessat2 = 439, exit_group = 231, clone = 56, open = 2, access = 21, getppid = 110;
}

internal static class Clone
{
    public const ulong NEWTIME = 0x80, VM = 0x100, FS = 0x200, FILES = 0x400, SIGHAND = 0x800, PIDFD = 0x1000,
        NEWNS = 0x20000, NEWCGROUP = 0x02000000, NEWUTS = 0x04000000, NEWIPC = 0x08000000, NEWUSER = 0x10000000,
        NEWPID = 0x20000000, NEWNET = 0x40000000, INTO_CGROUP = 0x200000000;
}

internal static class Sig
{
    public const int HUP = 1, INT = 2, QUIT = 3, KILL = 9, USR1 = 10, USR2 = 12, PIPE = 13, TERM = 15, CHLD = 17,
        CONT = 18, STOP = 19, WINCH = 28;
}

internal static class Pr
{
    public const int SET_PDEATHSIG = 1, SET_DUMPABLE = 4, SET_KEEPCAPS = 8, CAPBSET_READ = 23, CAPBSET_DROP = 24,
        SET_CHILD_SUBREAPER = 36, SET_NO_NEW_PRIVS = 38, CAP_AMBIENT = 47, CAP_AMBIENT_RAISE = 2,
        CAP_AMBIENT_CLEAR_ALL = 4;
}

internal static class Af
{
    public const int UNIX = 1, SOCK_STREAM = 1, SOCK_SEQPACKET = 5, SOCK_CLOEXEC = 0x80000, SOL_SOCKET = 1,
        SCM_RIGHTS = 1;
}
