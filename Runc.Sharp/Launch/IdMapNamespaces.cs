using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Launch;

/// <summary>A user namespace for an id-mapped mount: which mount, and the descriptor the init inherits.</summary>
public sealed record IdMapFd(int Mount, int Fd);

/// <summary>
/// The user namespaces that id-mapped mounts (idmap, ridmap) map through, made by the
/// parent before the init starts: a raw child is cloned into a new user namespace and never
/// released, the parent writes its maps (the mount's own, or the container's), keeps a
/// descriptor of the namespace and kills the child; a mount that takes the container's maps
/// where the container joins a user namespace maps through that one. The init then only
/// needs the descriptors.
/// </summary>
public sealed class IdMapNamespaces : IDisposable
{
    private readonly List<(int Mount, FileDescriptor Fd)> _fds = [];

    public IReadOnlyList<IdMapFd> Fds => _fds.Select(f => new IdMapFd(f.Mount, f.Fd.Value)).ToList();

    public static IdMapNamespaces For(RuntimeSpec spec, bool denySetgroups)
    {
        var made = new IdMapNamespaces();
        var mounts = spec.Mounts ?? [];
        bool ok = false;
        try
        {
            for (int i = 0; i < mounts.Count; i++)
            {
                if (!MountOptions.Parse(mounts[i]).IdMap)
                    continue;
                var (uids, gids, what) = mounts[i].UidMappings is { Count: > 0 }
                    ? (mounts[i].UidMappings, mounts[i].GidMappings, $"mounts[{i}]")
                    : (spec.Linux?.UidMappings, spec.Linux?.GidMappings, "linux");
                // The container's maps are those of the user namespace it joins: map through that one.
                if (uids is not { Count: > 0 } && NamespacePlan.JoinedPath(spec.Linux, "user") is { } joined)
                {
                    made._fds.Add((i, OpenJoined(joined, i)));
                    continue;
                }
                if (uids is not { Count: > 0 } || gids is not { Count: > 0 })
                    throw new ConfigError($"{SpecReader.ConfigFileName}: mounts[{i}]: an id-mapped mount needs uidMappings and gidMappings, on the mount or for the container's user namespace");
                made._fds.Add((i, Holder(uids, gids, denySetgroups, what)));
            }
            ok = true;
            return made;
        }
        finally
        {
            if (!ok)
                made.Dispose();
        }
    }

    private static FileDescriptor OpenJoined(string path, int mount)
    {
        try
        {
            return FileDescriptor.Open(path, O.RDONLY | O.CLOEXEC);
        }
        catch (SyscallException e)
        {
            throw new RuncsException($"mounts[{mount}]: the user namespace to id-map through, {path} (linux.namespaces): {SyscallException.Describe(e.Errno)}");
        }
    }

    private static FileDescriptor Holder(IReadOnlyList<IdMapping> uids, IReadOnlyList<IdMapping> gids, bool denySetgroups, string what)
    {
        using var child = Spawner.Spawn(new SpawnRequest(Clone.NEWUSER, [], -1, -1, [], BecomeRootInUserNamespace: false));
        try
        {
            IdMaps.Write(child.Pid, uids, gids, denySetgroups, what);
            return FileDescriptor.Open($"/proc/{child.Pid}/ns/user", O.RDONLY);
        }
        finally
        {
            Launcher.Reap(child.Pid, kill: true);
        }
    }

    public void Dispose()
    {
        foreach (var (_, fd) in _fds)
            fd.Dispose();
        _fds.Clear();
    }
}
