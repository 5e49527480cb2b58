using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Lifecycle;

/// <summary>
/// `checkpoint`: the checks runc makes before it calls CRIU, in runc's order and words, so
/// that a bad invocation fails the same way. The dump itself is issue #17.
/// </summary>
public static class Checkpointer
{
    public static void Checkpoint(RuntimeOptions o, string id, string? imagePath, string? parentPath)
    {
        using var held = o.Store.OpenLocked(id);
        var status = StatusDeriver.Derive(o.Store, o.Store.Read(id));
        if (status is ContainerStatus.Created or ContainerStatus.Stopped)
            throw new RuncsException($"Container cannot be checkpointed in {status.ToText()} state");
        CheckImagePaths(imagePath, parentPath);
        throw new RuncsException("checkpoint: not implemented yet");
    }

    /// <summary>runc's prepareImagePaths: the image directory is made, the parent must be a directory relative to it.</summary>
    internal static void CheckImagePaths(string? imagePath, string? parentPath)
    {
        var images = string.IsNullOrEmpty(imagePath) ? Path.Combine(Directory.GetCurrentDirectory(), "checkpoint") : imagePath;
        Directory.CreateDirectory(images, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (string.IsNullOrEmpty(parentPath))
            return;
        if (Path.IsPathRooted(parentPath))
            throw new RuncsException("--parent-path must be relative");
        var parent = Path.GetFullPath(Path.Combine(images, parentPath));
        if (Directory.Exists(parent))
            return;
        var errno = File.Exists(parent) ? Errno.ENOTDIR : Errno.ENOENT;
        throw new RuncsException($"invalid --parent-path: stat {parent}: {SyscallException.Describe(errno)}");
    }
}
