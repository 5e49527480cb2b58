using System.Text;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Linux.Seccomp;

/// <summary>
/// linux.seccomp compiled by the parent on a thread of its own while the init starts, and
/// streamed to the init through a pipe it inherits (<see cref="SeccompBpf.Receive"/>).
/// Compiled in the init, Docker's profile was its longest step (13 ms of a 34 ms run);
/// here it overlaps the init's start and mounts. A compile error travels the same pipe,
/// so the init reports it as it reported its own.
/// </summary>
public sealed unsafe class SeccompCompilation : IDisposable
{
    internal const byte ProgramFollows = 0, ErrorFollows = 1;

    /// <summary>The end the init inherits and reads.</summary>
    public FileDescriptor ReadEnd { get; }

    private SeccompCompilation(FileDescriptor readEnd) => ReadEnd = readEnd;

    /// <param name="cacheRoot">The state root, where compiled programs are kept (<see cref="SeccompCache"/>).</param>
    public static SeccompCompilation? Start(Spec.Seccomp? config, string cacheRoot)
    {
        if (config is null)
            return null;
        int* fds = stackalloc int[2];
        if (Libc.pipe2(fds, O.CLOEXEC) != 0)
            throw SyscallException.FromLast("pipe2", "seccomp program pipe");
        var writeEnd = new FileDescriptor(fds[1]);
        var thread = new Thread(() => Compile(config, cacheRoot, writeEnd)) { IsBackground = true, Name = "seccomp" };
        thread.Start();
        return new SeccompCompilation(new FileDescriptor(fds[0]));
    }

    private static void Compile(Spec.Seccomp config, string cacheRoot, FileDescriptor writeEnd)
    {
        using (writeEnd)
        {
            byte[] message;
            try
            {
                var key = SeccompCache.Key(config);
                if (SeccompCache.TryRead(cacheRoot, key) is { } cached)
                    message = [ProgramFollows, .. cached];
                else
                {
                    message = Program(config);
                    SeccompCache.TryWrite(cacheRoot, key, message[1..]);
                }
            }
            catch (Exception e)
            {
                // Any type: an exception that escaped this thread would end the process unreported.
                message = [ErrorFollows, .. Encoding.UTF8.GetBytes(e is RuncsException ? e.Message : Unexpected.Describe(e))];
            }
            // A failed write means the init is gone; the parent reports that exit.
            SysCall.WriteAll(writeEnd.Value, message);
        }
    }

    /// <summary>ProgramFollows, the seccomp(2) flags, then the BPF instructions: runc's ENOSYS stub, then libseccomp's filter.</summary>
    private static byte[] Program(Spec.Seccomp config)
    {
        using var program = SeccompFilter.Prepare(config);
        int memfd = Libc.memfd_create("seccomp-bpf", 1 /* MFD_CLOEXEC */);
        if (memfd < 0)
            throw SyscallException.FromLast("memfd_create", "seccomp program");
        using var bpf = new FileDescriptor(memfd);
        program.ExportBpf(bpf.Value);
        if (Libc.lseek(bpf.Value, 0, 0 /* SEEK_SET */) != 0)
            throw SyscallException.FromLast("lseek", "seccomp program");
        var flags = new byte[4];
        BitConverter.TryWriteBytes(flags, SeccompFilter.KernelFlags(config));
        return [ProgramFollows, .. flags, .. EnosysStub.For(config), .. SysCall.ReadToEnd(bpf.Value, "seccomp program")];
    }

    public void Dispose() => ReadEnd.Dispose();
}
