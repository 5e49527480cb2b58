using System.Runtime.InteropServices;
using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Lifecycle;

/// <summary>
/// The one place that knows the on-disk layout under --root:
/// &lt;root&gt;/&lt;id&gt;/state.json (written atomically) and &lt;root&gt;/&lt;id&gt;/exec.fifo.
/// Mutating commands hold an flock on the container's directory, so concurrent
/// commands on one id run one after another.
/// </summary>
public sealed class StateStore
{
    public const string StateFile = "state.json";
    public const string FifoFile = "exec.fifo";
    public const string SpecFile = "spec.json";

    public string Root { get; }

    public StateStore(string root) => Root = root;

    public string DirOf(string id) => Path.Combine(Root, id);
    public string FifoOf(string id) => Path.Combine(DirOf(id), FifoFile);

    public bool Exists(string id) => File.Exists(Path.Combine(DirOf(id), StateFile));

    /// <summary>Creates &lt;root&gt;/&lt;id&gt; and returns it locked; fails if the id is taken.</summary>
    public ContainerLock CreateLocked(string id)
    {
        ContainerId.Validate(id);
        EnsureRoot();
        var dir = DirOf(id);
        if (Libc.mkdirat(-100, dir, 0x1C9 /* 0711 */) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == Errno.EEXIST)
                throw new RuncsException("container with given ID already exists");
            throw new SyscallException("mkdir", dir, errno);
        }
        return ContainerLock.Acquire(dir);
    }

    /// <summary>Locks an existing container; "container does not exist" otherwise.</summary>
    public ContainerLock OpenLocked(string id)
    {
        ContainerId.Validate(id);
        var dir = DirOf(id);
        var held = ContainerLock.TryAcquire(dir);
        if (held is null || !File.Exists(Path.Combine(dir, StateFile)))
        {
            held?.Dispose();
            throw NotExist(id);
        }
        return held;
    }

    public static RuncsException NotExist(string id) => new ContainerNotFound(id);

    public ContainerState Read(string id)
    {
        ContainerId.Validate(id);
        return TryRead(id) ?? throw NotExist(id);
    }

    public ContainerState? TryRead(string id)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(Path.Combine(DirOf(id), StateFile));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        return StateJson.TryDecode(bytes) ?? throw new RuncsException($"state of container {id} is corrupt: not a state document");
    }

    /// <summary>
    /// Writes state.json atomically: a temp file, fsync, rename, so a reader sees the old or
    /// the new document, and after a crash the new one is never a torn or empty file.
    /// </summary>
    public void Write(ContainerLock held, ContainerState state, Action<string>? afterTempWritten = null) =>
        WriteAtomically(held, StateFile, StateJson.Encode(state), afterTempWritten);

    /// <summary>The container's config as create saw it (spec.json), for exec and update.</summary>
    public void WriteSpec(ContainerLock held, RuntimeSpec spec) =>
        WriteAtomically(held, SpecFile, Spec.Codec.SpecEncoder.Encode(spec), null);

    public RuntimeSpec ReadSpec(string id) =>
        SpecReader.ReadFile(Path.Combine(DirOf(id), SpecFile), SpecDocuments.Config, $"stored config of container {id}");

    private static void WriteAtomically(ContainerLock held, string file, byte[] bytes, Action<string>? afterTempWritten)
    {
        var dir = held.Directory;
        var temp = Path.Combine(dir, $"{Path.GetFileNameWithoutExtension(file)}-{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }
            afterTempWritten?.Invoke(temp);
            File.Move(temp, Path.Combine(dir, file), overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    /// <summary>Removes the container's directory while its lock is held.</summary>
    public static void Remove(ContainerLock held)
    {
        if (Directory.Exists(held.Directory))
            Directory.Delete(held.Directory, recursive: true);
    }

    /// <summary>Removes a directory left without a state (e.g. a create that died half way).</summary>
    public void RemoveStale(string id)
    {
        var dir = DirOf(id);
        if (Directory.Exists(dir))
            Directory.Delete(dir, recursive: true);
    }

    /// <summary>Ids of every container with a state, sorted like runc's directory walk.</summary>
    public IEnumerable<string> ListIds()
    {
        if (!Directory.Exists(Root))
            return [];
        return Directory.EnumerateDirectories(Root)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(id => ContainerId.Problem(id) is null && Exists(id))
            .Order(StringComparer.Ordinal);
    }

    private void EnsureRoot()
    {
        try
        {
            if (!Directory.Exists(Root))
                Directory.CreateDirectory(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        catch (UnauthorizedAccessException)
        {
            throw new RuncsException($"root {Root}: permission denied");
        }
        catch (IOException e)
        {
            throw new RuncsException($"root {Root}: {e.Message}");
        }
    }
}

/// <summary>The error text containerd matches on ("does not exist").</summary>
public sealed class ContainerNotFound(string id) : RuncsException("container does not exist")
{
    public string Id { get; } = id;
}
