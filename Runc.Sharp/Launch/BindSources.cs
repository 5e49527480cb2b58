using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Launch;

/// <summary>
/// The parent's half of <see cref="Linux.Mounts.MountContext.BindSourceFromRuntime"/>: a bind
/// source that the init, in its user namespace, may not reach is opened here with the host's
/// credentials, from inside the init's mount namespace (so the mounts the init made so far are
/// seen), as a detached tree the init moves onto its target (runc's mount source thread).
/// </summary>
public static class BindSources
{
    public static FileDescriptor OpenFor(int initPid, string source, bool recursive)
    {
        using var ns = FileDescriptor.Open($"/proc/{initPid.ToString(System.Globalization.CultureInfo.InvariantCulture)}/ns/mnt", O.RDONLY);
        FileDescriptor? tree = null;
        RuncsException? error = null;
        // setns into a mount namespace needs a thread with an fs struct of its own; it ends with it.
        var thread = new Thread(() =>
        {
            try
            {
                if (Libc.unshare((int)Clone.FS) != 0)
                    throw SyscallException.FromLast("unshare(CLONE_FS)", "bind source thread");
                if (Libc.setns(ns.Value, (int)Clone.NEWNS) != 0)
                    throw SyscallException.FromLast("setns", "the container's mount namespace");
                tree = SysCall.OpenTreeClone(source, recursive, $"bind source {source} (opened by runcs)");
            }
            catch (Exception e)
            {
                error = e as RuncsException ?? new RuncsException($"bind source {source}: {Unexpected.Describe(e)}");
            }
        })
        { IsBackground = true, Name = "bind source" };
        thread.Start();
        thread.Join();
        return tree ?? throw error!;
    }
}
