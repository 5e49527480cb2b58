using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Mounts;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Launch;

/// <summary>
/// The parent's half of <see cref="Linux.Mounts.MountContext.BindSourceFromRuntime"/>: a bind
/// source that the init, in its user namespace, may not reach is opened here with the host's
/// credentials, from inside the init's mount namespace (so the mounts the init made so far are
/// seen), as a detached tree the init moves onto its target (runc's mount source thread);
/// id-mapped there too, as only the host's credentials may.
/// </summary>
public static class BindSources
{
    private const byte Recursive = 1, MapSubmounts = 2;

    /// <summary>The init's request: flags, the user namespace descriptor (-1: no id map; the parent's number too, inherited), the source.</summary>
    public static byte[] Encode(BindSourceRequest r) =>
        [(byte)((r.Recursive ? Recursive : 0) | (r.MapSubmounts ? MapSubmounts : 0)), .. BitConverter.GetBytes(r.IdMapUserNamespaceFd), .. System.Text.Encoding.UTF8.GetBytes(r.Source)];

    public static BindSourceRequest Decode(byte[] payload) => payload.Length > 5
        ? new(System.Text.Encoding.UTF8.GetString(payload, 5, payload.Length - 5), (payload[0] & Recursive) != 0, BitConverter.ToInt32(payload, 1), (payload[0] & MapSubmounts) != 0)
        : throw new RuncsException("container init sent a malformed bind source request");

    /// <param name="passedFds">The descriptors the init inherited: an id map's user namespace must be one of them.</param>
    public static FileDescriptor OpenFor(int initPid, BindSourceRequest request, IReadOnlyList<int> passedFds)
    {
        var (source, recursive, userns) = (request.Source, request.Recursive, request.IdMapUserNamespaceFd);
        if (userns >= 0 && !passedFds.Contains(userns))
            throw new RuncsException($"bind source {source}: user namespace descriptor {userns} was not passed to the container's init");
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
                if (userns >= 0)
                    SysCall.IdMap(tree.Value, userns, request.MapSubmounts, $"bind source {source} (id-mapped by runcs)");
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
