using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Launch;

/// <summary>How to start the init stage: new namespaces for clone3, namespaces to join, and what to exec.</summary>
/// <param name="ForkInside">
/// After its joins (a pid namespace among them) the child forks the init, which is born in
/// that pid namespace, reports its pid (<see cref="MessageType.ChildForked"/>) and exits. For
/// a pid namespace owned by a user namespace the parent is not in (rootless exec): the
/// parent cannot enter it, the child can once it has joined the user namespace.
/// </param>
/// <param name="UnshareBeforeFork">
/// Namespaces the child unshares after its joins, then forks the init into them (implies
/// <paramref name="ForkInside"/>): pid and time, as a time namespace takes its offsets only
/// before a process is in it, so the child writes <paramref name="TimeOffsets"/> in between;
/// all of them beside a joined user namespace, so that it owns them.
/// </param>
/// <param name="Cgroups">The cgroups the child enters before anything else (none if null).</param>
/// <param name="ParentChannelFd">The parent's end of the channel, which the child closes so that the parent's death is end of file there.</param>
/// <param name="MountNamespaceFd">
/// A mount namespace to join (exec's, or linux.namespaces'), the child's last step before it
/// execs the init: the init never runs with the host's mount tree as its root, where a
/// process of the container's user namespace holding CAP_SYS_PTRACE could reach it through
/// /proc/PID/root (CVE-2016-9962's class). Until that join the child is not dumpable.
/// </param>
public sealed record SpawnRequest(
    ulong CloneFlags,
    IReadOnlyList<(int Fd, ulong Type)> JoinNamespaces,
    int ChildChannelFd,
    int ImageFd,
    IReadOnlyList<string> Argv,
    bool BecomeRootInUserNamespace,
    bool ForkInside = false,
    ulong UnshareBeforeFork = 0,
    string? TimeOffsets = null,
    ChildCgroups? Cgroups = null,
    int MountNamespaceFd = -1,
    int ParentChannelFd = -1,
    byte[]? Affinity = null)
{
    /// <summary>Whether the child forks the init (and reports it with <see cref="MessageType.ChildForked"/>) rather than exec it itself.</summary>
    public bool Forks => ForkInside || UnshareBeforeFork != 0;
}

/// <summary>
/// The raw child's steps, as its ChildFailed report names them (one byte). A step done per
/// namespace or per cgroup reports its base plus the index.
/// </summary>
public enum ChildStep : byte
{
    WaitForRelease = 1,
    NotDumpable = 2,
    ExecInit = 3,
    BecomeRootGid = 4,
    BecomeRootUid = 5,
    ForkInit = 6,
    Unshare = 7,
    TimeOffsets = 8,
    JoinMountNamespace = 9,
    ParentDeathSignal = 10,
    JoinNamespace = 20,
    JoinCgroup = 40,
}

/// <summary>What the raw child does before exec, to name the step a ChildFailed report points at.</summary>
public sealed record ChildSteps(IReadOnlyList<string> Namespaces, IReadOnlyList<string> CgroupDirs);

/// <summary>
/// Starts the init stage with a raw clone3. The child branch runs only raw system
/// calls on memory prepared before the clone (like a post-fork child in C): it waits
/// for the parent's release byte, joins namespaces, then execs the sealed runcs image.
/// Nothing managed may allocate there: only the cloning thread exists in the child.
/// </summary>
public static unsafe partial class Spawner
{
    [StructLayout(LayoutKind.Sequential)]
    private struct CloneArgs
    {
        public ulong Flags, PidFd, ChildTid, ParentTid, ExitSignal, Stack, StackSize, Tls, SetTid, SetTidSize, Cgroup;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ChildArgs
    {
        public int SyncFd;
        public int SyncWriteFd;
        public int ParentPid;
        public int ParentChannelFd;
        public int ChannelFd;
        public int ImageFd;
        public int TasksCount;
        public int* TasksFds;
        public byte* Self;
        public int NsCount;
        public int MountNsFd;
        public int* NsFds;
        public long* NsTypes;
        public int BecomeRoot;
        public int ForkInside;
        public long UnshareFlags;
        public byte* TimeOffsets;
        public int TimeOffsetsLength;
        public byte* TimensPath;
        public byte* Empty;
        public byte** Argv;
        public byte** Envp;
        public byte* FailMessage;
    }

    [LibraryImport("libc", EntryPoint = "__errno_location")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvSuppressGCTransition)])]
    private static partial int* ErrnoLocation();

    private const long CloneParent = 0x8000;

    /// <summary>A cloned child waiting for <see cref="Release"/>.</summary>
    public sealed class Child : IDisposable
    {
        private FileDescriptor? _syncWrite;
        private readonly nint _block;

        public int Pid { get; }

        internal Child(int pid, FileDescriptor syncWrite, nint block)
        {
            Pid = pid;
            _syncWrite = syncWrite;
            _block = block;
        }

        /// <summary>Lets the child go on to join namespaces and exec the init stage.</summary>
        public void Release()
        {
            byte go = 1;
            if (_syncWrite is null)
                return;
            if (Libc.write(_syncWrite.Value, &go, 1) != 1)
                throw SyscallException.FromLast("write", "release of init");
            _syncWrite.Dispose();
            _syncWrite = null;
        }

        public void Dispose()
        {
            _syncWrite?.Dispose();
            NativeMemory.Free((void*)_block);
        }
    }

    public static Child Spawn(SpawnRequest request)
    {
        int* pipe = stackalloc int[2];
        if (Libc.pipe2(pipe, O.CLOEXEC) != 0)
            throw SyscallException.FromLast("pipe2", "init sync pipe");
        using var syncRead = new FileDescriptor(pipe[0]);
        var syncWrite = new FileDescriptor(pipe[1]);

        var block = Prepare(request, pipe[0], pipe[1]);
        var a = (ChildArgs*)block;
        var clone = new CloneArgs { Flags = request.CloneFlags, ExitSignal = (ulong)Sig.CHLD };
        if (request.Cgroups is { CloneInto: true } cgroups)
        {
            clone.Flags |= Clone.INTO_CGROUP;
            clone.Cgroup = (ulong)cgroups.UnifiedFd;
        }
        // The child is born with the calling thread's affinity, as runc's is with
        // execCPUAffinity.initial: set around the clone, then given back.
        var own = request.Affinity is null ? null : Linux.Process.Affinity.Get(0);
        if (request.Affinity is { } initial)
            Linux.Process.Affinity.Set(0, initial, "process.execCPUAffinity.initial");
        long pid = Libc.syscall_nogc(Sys.clone3, (long)&clone, sizeof(CloneArgs), 0, 0, 0, 0);
        if (pid == 0)
            ChildMain(a);
        if (own is not null)
            Linux.Process.Affinity.Set(0, own, "runcs's own affinity");
        if (pid < 0)
        {
            int errno = *ErrnoLocation();
            syncWrite.Dispose();
            NativeMemory.Free((void*)block);
            throw new SyscallException("clone3", (clone.Flags & Clone.INTO_CGROUP) != 0 ? $"init into cgroup {request.Cgroups!.UnifiedDir}" : "init", errno);
        }
        return new Child((int)pid, syncWrite, block);
    }

    /// <summary>
    /// Clones the child; one that the kernel killed at birth for CLONE_INTO_CGROUP (see
    /// <see cref="ChildCgroups"/>) is reaped and cloned again, writing itself into the cgroup.
    /// </summary>
    public static Child SpawnChecked(SpawnRequest request)
    {
        var child = Spawn(request);
        if (request.Cgroups is not { CloneInto: true } cgroups || !KilledAtBirth(child.Pid))
            return child;
        child.Dispose();
        Launcher.Reap(child.Pid, kill: false);
        cgroups.CloneInto = false;
        return Spawn(request);
    }

    /// <summary>
    /// A SIGKILL the kernel queued during the clone is pending when clone3 returns, before the
    /// child ran at all; it shows in its status (or the child is already gone).
    /// </summary>
    private static bool KilledAtBirth(int pid)
    {
        string status;
        try
        {
            status = File.ReadAllText($"/proc/{pid.ToString(System.Globalization.CultureInfo.InvariantCulture)}/status");
        }
        catch (IOException)
        {
            return true;
        }
        foreach (var line in status.Split('\n'))
        {
            if (line.StartsWith("State:\t", StringComparison.Ordinal) && line.Length > 7 && line[7] is 'Z' or 'X')
                return true;
            if ((line.StartsWith("SigPnd:\t", StringComparison.Ordinal) || line.StartsWith("ShdPnd:\t", StringComparison.Ordinal))
                && ulong.TryParse(line.AsSpan(8), System.Globalization.NumberStyles.HexNumber, null, out var pending)
                && (pending & (1UL << (Sig.KILL - 1))) != 0)
                return true;
        }
        return false;
    }

    /// <summary>Everything the child touches, in one native block allocated before the clone.</summary>
    private static nint Prepare(SpawnRequest r, int syncFd, int syncWriteFd)
    {
        var strings = new List<byte[]> { new byte[1] };
        strings.AddRange(r.Argv.Select(s => SysCall.Utf8(s)));
        var offsets = SysCall.Utf8(r.TimeOffsets ?? "");
        var timensPath = SysCall.Utf8("/proc/self/timens_offsets");
        int stringBytes = strings.Sum(s => s.Length) + offsets.Length + timensPath.Length;
        int joins = r.JoinNamespaces.Count;
        var tasks = r.Cgroups?.Tasks ?? [];
        int size = sizeof(ChildArgs) + sizeof(long) * joins + sizeof(int) * (joins + tasks.Count) + sizeof(nint) * (r.Argv.Count + 2) + stringBytes + 8 + 1 + 7;
        var block = (byte*)NativeMemory.AllocZeroed((nuint)size);
        var a = (ChildArgs*)block;
        byte* cursor = block + sizeof(ChildArgs);
        a->NsTypes = (long*)cursor;
        cursor += sizeof(long) * joins;
        a->NsFds = (int*)cursor;
        for (int i = 0; i < joins; i++)
        {
            a->NsFds[i] = r.JoinNamespaces[i].Fd;
            a->NsTypes[i] = (long)r.JoinNamespaces[i].Type;
        }
        cursor += sizeof(int) * joins;
        a->TasksFds = (int*)cursor;
        for (int i = 0; i < tasks.Count; i++)
            a->TasksFds[i] = tasks[i].Fd;
        a->TasksCount = tasks.Count;
        cursor += sizeof(int) * tasks.Count;
        cursor = (byte*)(((nint)cursor + 7) & ~7);
        a->Argv = (byte**)cursor;
        cursor += sizeof(nint) * (r.Argv.Count + 1);
        a->Envp = (byte**)cursor;
        cursor += sizeof(nint);
        a->FailMessage = cursor;
        cursor += 8;
        a->Empty = cursor;
        cursor += 1;
        a->Self = cursor;
        *cursor++ = (byte)'0';
        for (int i = 1; i < strings.Count; i++)
        {
            strings[i].CopyTo(new Span<byte>(cursor, strings[i].Length));
            a->Argv[i - 1] = cursor;
            cursor += strings[i].Length;
        }
        a->Argv[r.Argv.Count] = null;
        offsets.CopyTo(new Span<byte>(cursor, offsets.Length));
        a->TimeOffsets = cursor;
        a->TimeOffsetsLength = offsets.Length - 1;
        cursor += offsets.Length;
        timensPath.CopyTo(new Span<byte>(cursor, timensPath.Length));
        a->TimensPath = cursor;
        cursor += timensPath.Length;
        a->Envp[0] = null;
        a->SyncFd = syncFd;
        a->SyncWriteFd = syncWriteFd;
        a->ParentPid = Environment.ProcessId;
        a->ParentChannelFd = r.ParentChannelFd;
        a->ChannelFd = r.ChildChannelFd;
        a->ImageFd = r.ImageFd;
        a->NsCount = joins;
        a->MountNsFd = r.MountNamespaceFd;
        a->BecomeRoot = r.BecomeRootInUserNamespace ? 1 : 0;
        a->ForkInside = r.Forks ? 1 : 0;
        a->UnshareFlags = (long)r.UnshareBeforeFork;
        return (nint)block;
    }

    // A parent that died before PR_SET_PDEATHSIG was set sends no signal: then the parent is
    // another process now. In a new pid namespace getppid is 0 whoever the parent is; there the
    // release read's end of file is the check.
    private static void ExitIfOrphaned(ChildArgs* a)
    {
        long parent = Libc.syscall_nogc(Sys.getppid, 0, 0, 0, 0, 0, 0);
        if (parent != 0 && parent != a->ParentPid)
            while (true)
                Libc.syscall_nogc(Sys.exit_group, 1, 0, 0, 0, 0, 0);
    }

    // The child: raw syscalls only, no allocation, never returns.
    private static void ChildMain(ChildArgs* a)
    {
        // Ends that only the parent may hold: once it dies, the release read and the
        // init's channel see end of file instead of blocking for ever.
        Libc.syscall_nogc(Sys.close, a->SyncWriteFd, 0, 0, 0, 0, 0);
        if (a->ParentChannelFd >= 0)
            Libc.syscall_nogc(Sys.close, a->ParentChannelFd, 0, 0, 0, 0, 0);
        for (int i = 0; i < a->TasksCount; i++)
        {
            if (Libc.syscall_nogc(Sys.write, a->TasksFds[i], (long)a->Self, 1, 0, 0, 0) != 1)
                Fail(a, (byte)((int)ChildStep.JoinCgroup + i));
        }
        // Killed with the parent until the init is handed over (InitSequence clears it). A
        // parent that died before this prctl is caught by the release read: end of file.
        if (Libc.syscall_nogc(Sys.prctl, Pr.SET_PDEATHSIG, Sig.KILL, 0, 0, 0, 0) != 0)
            Fail(a, (byte)ChildStep.ParentDeathSignal);
        ExitIfOrphaned(a);
        byte go;
        if (Libc.syscall_nogc(Sys.read, a->SyncFd, (long)&go, 1, 0, 0, 0) != 1)
            Fail(a, (byte)ChildStep.WaitForRelease);
        // Not dumpable, /proc/PID is root's in the initial user namespace, which no process of
        // a joined user namespace can reach while this child still has the host's mount tree.
        // After the release: the parent has written any id maps it had to.
        if (a->MountNsFd >= 0 && Libc.syscall_nogc(Sys.prctl, Pr.SET_DUMPABLE, 0, 0, 0, 0, 0) != 0)
            Fail(a, (byte)ChildStep.NotDumpable);
        // runc's order: the other namespaces while the host's credentials may still enter
        // them (one owned by another user namespace than the joined one), then the user
        // namespace, then those only its capabilities let in (rootless).
        int joined = JoinNamespaces(a, user: false, skipDenied: true, 0);
        joined = JoinNamespaces(a, user: true, skipDenied: false, joined);
        JoinNamespaces(a, user: false, skipDenied: false, joined);
        if (a->UnshareFlags != 0 && Libc.syscall_nogc(Sys.unshare, a->UnshareFlags, 0, 0, 0, 0, 0) != 0)
            Fail(a, (byte)ChildStep.Unshare);
        if (a->TimeOffsetsLength > 0)
        {
            long fd = Libc.syscall_nogc(Sys.open, (long)a->TimensPath, O.WRONLY | O.CLOEXEC, 0, 0, 0, 0);
            if (fd < 0 || Libc.syscall_nogc(Sys.write, fd, (long)a->TimeOffsets, a->TimeOffsetsLength, 0, 0, 0) != a->TimeOffsetsLength)
                Fail(a, (byte)ChildStep.TimeOffsets);
            Libc.syscall_nogc(Sys.close, fd, 0, 0, 0, 0, 0);
        }
        if (a->ForkInside != 0)
        {
            // A fork (no CLONE_VM: the memory is copied) whose parent is ours, so runcs reaps it.
            long init = Libc.syscall_nogc(Sys.clone, CloneParent | Sig.CHLD, 0, 0, 0, 0, 0);
            if (init < 0)
                Fail(a, (byte)ChildStep.ForkInit);
            if (init > 0)
            {
                a->FailMessage[0] = (byte)MessageType.ChildForked;
                *(int*)(a->FailMessage + 1) = (int)init;
                Libc.syscall_nogc(Sys.write, a->ChannelFd, (long)a->FailMessage, 5, 0, 0, 0);
                while (true)
                    Libc.syscall_nogc(Sys.exit_group, 0, 0, 0, 0, 0, 0);
            }
            // A fork does not inherit the death signal; runcs is this process's parent too.
            if (Libc.syscall_nogc(Sys.prctl, Pr.SET_PDEATHSIG, Sig.KILL, 0, 0, 0, 0) != 0)
                Fail(a, (byte)ChildStep.ParentDeathSignal);
            ExitIfOrphaned(a);
        }
        // Entering a user namespace gives every capability in it, but execve keeps them
        // only for uid 0 of that namespace; the parent's uid is not mapped there.
        if (a->BecomeRoot != 0)
        {
            Libc.syscall_nogc(Sys.setgroups, 0, 0, 0, 0, 0, 0);
            if (Libc.syscall_nogc(Sys.setresgid, 0, 0, 0, 0, 0, 0) != 0)
                Fail(a, (byte)ChildStep.BecomeRootGid);
            if (Libc.syscall_nogc(Sys.setresuid, 0, 0, 0, 0, 0, 0) != 0)
                Fail(a, (byte)ChildStep.BecomeRootUid);
        }
        // Last, after the time namespace's offsets went in through the host's /proc; the
        // user namespace entered above gives the capabilities that setns needs.
        if (a->MountNsFd >= 0 && Libc.syscall_nogc(Sys.setns, a->MountNsFd, (long)Clone.NEWNS, 0, 0, 0, 0) != 0)
            Fail(a, (byte)ChildStep.JoinMountNamespace);
        Libc.syscall_nogc(Sys.execveat, a->ImageFd, (long)a->Empty, (long)a->Argv, (long)a->Envp, SysCall.AtEmptyPath, 0);
        Fail(a, (byte)ChildStep.ExecInit);
    }

    /// <summary>setns into those of the joins (a bit per index in <paramref name="joined"/>) not yet joined; returns the new set.</summary>
    private static int JoinNamespaces(ChildArgs* a, bool user, bool skipDenied, int joined)
    {
        for (int i = 0; i < a->NsCount; i++)
        {
            if ((joined & (1 << i)) != 0 || (a->NsTypes[i] == (long)Clone.NEWUSER) != user)
                continue;
            if (Libc.syscall_nogc(Sys.setns, a->NsFds[i], a->NsTypes[i], 0, 0, 0, 0) == 0)
                joined |= 1 << i;
            else if (!skipDenied || *ErrnoLocation() != Errno.EPERM)
                Fail(a, (byte)((int)ChildStep.JoinNamespace + i));
        }
        return joined;
    }

    private static void Fail(ChildArgs* a, byte step)
    {
        int errno = *ErrnoLocation();
        a->FailMessage[0] = (byte)MessageType.ChildFailed;
        a->FailMessage[1] = step;
        *(int*)(a->FailMessage + 2) = errno;
        Libc.syscall_nogc(Sys.write, a->ChannelFd, (long)a->FailMessage, 6, 0, 0, 0);
        while (true)
            Libc.syscall_nogc(Sys.exit_group, 127, 0, 0, 0, 0, 0);
    }

    /// <summary>Text for a <see cref="MessageType.ChildFailed"/> payload.</summary>
    public static string DescribeChildFailure(ReadOnlySpan<byte> payload, ChildSteps steps)
    {
        if (payload.Length < 5)
            return "init child failed";
        int errno = BitConverter.ToInt32(payload[1..5]);
        byte step = payload[0];
        var what = (ChildStep)step switch
        {
            ChildStep.WaitForRelease => "wait for release (runcs exited)",
            ChildStep.NotDumpable => "prctl(PR_SET_DUMPABLE, 0)",
            ChildStep.ExecInit => "exec of the runcs init image",
            ChildStep.BecomeRootGid => "setresgid 0 in the user namespace (is gid 0 mapped?)",
            ChildStep.BecomeRootUid => "setresuid 0 in the user namespace (is uid 0 mapped?)",
            ChildStep.ForkInit => "fork of the init inside the joined pid namespace",
            ChildStep.Unshare => "unshare of the pid and time namespaces for the init",
            ChildStep.TimeOffsets => "write of /proc/self/timens_offsets (linux.timeOffsets)",
            ChildStep.JoinMountNamespace => "setns into the mount namespace (linux.namespaces)",
            ChildStep.ParentDeathSignal => "prctl(PR_SET_PDEATHSIG)",
            _ when step >= (byte)ChildStep.JoinCgroup && step - (byte)ChildStep.JoinCgroup < steps.CgroupDirs.Count => $"join of cgroup {steps.CgroupDirs[step - (byte)ChildStep.JoinCgroup]}",
            _ when step >= (byte)ChildStep.JoinNamespace && step - (byte)ChildStep.JoinNamespace < steps.Namespaces.Count => $"setns into the {steps.Namespaces[step - (byte)ChildStep.JoinNamespace]} namespace (linux.namespaces)",
            _ => $"step {step}",
        };
        return $"{what}: {SyscallException.Describe(errno)}";
    }
}
