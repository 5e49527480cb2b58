using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Launch;

/// <summary>
/// Descriptors with which a freshly cloned child enters the container's cgroups itself,
/// opened by the parent before the clone: the `tasks` file of each v1 hierarchy, to which
/// the child writes "0" (itself), and the unified hierarchy's directory for clone3's
/// CLONE_INTO_CGROUP. Why not the parent writing the child's pid to cgroup.procs: that
/// takes the kernel's global threadgroup lock, whose first writer waits for an RCU grace
/// period (13 ms of each create on this cgroup v1 host); a thread moving itself through
/// `tasks`, or a process born in its cgroup, does not.
/// <para>
/// CLONE_INTO_CGROUP has a kernel bug here (6.18): the child is SIGKILLed at birth when the
/// kill count (cgroup.kill) of the target cgroup differs from that of the parent's own,
/// e.g. a cgroup left by a container that was killed, or a runcs started in a cgroup that
/// was killed once. So a cgroup that existed before is entered through its cgroup.procs,
/// and a child found killed at birth is cloned again that way (<see cref="CloneInto"/>).
/// </para>
/// </summary>
public sealed class ChildCgroups : IDisposable
{
    private readonly List<FileDescriptor> _owned = [];
    private readonly List<(int Fd, string Dir)> _v1Tasks = [];
    private readonly int _unifiedProcs = -1;

    /// <summary>The unified hierarchy's directory (O_DIRECTORY), or -1.</summary>
    public int UnifiedFd { get; } = -1;
    public string? UnifiedDir { get; }

    /// <summary>Whether the child is born in the unified cgroup (clone3's CLONE_INTO_CGROUP) rather than writing itself into it.</summary>
    public bool CloneInto { get; set; }

    /// <param name="paths">Hierarchy key ("" for the unified one) → the container's cgroup directory.</param>
    /// <param name="fresh">Whether runcs made the unified cgroup for this container (nothing can have killed it).</param>
    public ChildCgroups(IReadOnlyDictionary<string, string> paths, bool fresh)
    {
        try
        {
            foreach (var dir in paths.Where(kv => kv.Key != "").Select(kv => kv.Value).Distinct())
                _v1Tasks.Add((Own(FileDescriptor.Open(Path.Combine(dir, "tasks"), O.WRONLY | O.CLOEXEC)), dir));
            if (paths.GetValueOrDefault("") is { } unified)
            {
                UnifiedFd = Own(FileDescriptor.Open(unified, O.RDONLY | O.DIRECTORY | O.CLOEXEC));
                _unifiedProcs = Own(FileDescriptor.Open(Path.Combine(unified, "cgroup.procs"), O.WRONLY | O.CLOEXEC));
                UnifiedDir = unified;
                CloneInto = fresh;
            }
        }
        catch (SyscallException)
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The files the child writes "0" to: each v1 hierarchy's `tasks`, and the unified cgroup.procs unless born there.</summary>
    public IReadOnlyList<(int Fd, string Dir)> Tasks =>
        CloneInto || _unifiedProcs < 0 ? _v1Tasks : [.. _v1Tasks, (_unifiedProcs, UnifiedDir!)];

    private int Own(FileDescriptor fd)
    {
        _owned.Add(fd);
        return fd.Value;
    }

    public void Dispose()
    {
        foreach (var fd in _owned)
            fd.Dispose();
        _owned.Clear();
    }
}
