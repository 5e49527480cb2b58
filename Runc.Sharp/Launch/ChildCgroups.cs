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
/// </summary>
public sealed class ChildCgroups : IDisposable
{
    private readonly List<FileDescriptor> _owned = [];

    /// <summary>Each v1 hierarchy's `tasks` file, open for writing, with its directory.</summary>
    public IReadOnlyList<(int Fd, string Dir)> Tasks { get; }

    /// <summary>The unified hierarchy's directory (O_DIRECTORY), or -1.</summary>
    public int UnifiedFd { get; }
    public string? UnifiedDir { get; }

    /// <param name="paths">Hierarchy key ("" for the unified one) → the container's cgroup directory.</param>
    public ChildCgroups(IReadOnlyDictionary<string, string> paths)
    {
        var tasks = new List<(int Fd, string Dir)>();
        try
        {
            foreach (var dir in paths.Where(kv => kv.Key != "").Select(kv => kv.Value).Distinct())
                tasks.Add((Own(FileDescriptor.Open(Path.Combine(dir, "tasks"), O.WRONLY | O.CLOEXEC)), dir));
            if (paths.GetValueOrDefault("") is { } unified)
            {
                UnifiedFd = Own(FileDescriptor.Open(unified, O.RDONLY | O.DIRECTORY | O.CLOEXEC));
                UnifiedDir = unified;
            }
            else
                UnifiedFd = -1;
        }
        catch (SyscallException)
        {
            Dispose();
            throw;
        }
        Tasks = tasks;
    }

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
