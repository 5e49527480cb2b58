using System.Text;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Linux.Seccomp;

/// <summary>
/// The compiled filter as the init receives it from <see cref="SeccompCompilation"/>;
/// <see cref="Load"/> installs it on the calling thread with seccomp(2), passing the flags
/// libseccomp's seccomp_load would.
/// </summary>
public sealed unsafe class SeccompBpf
{
    private const long SeccompSetModeFilter = 1;
    private const int InstructionSize = 8;

    private readonly byte[] _program;
    private readonly uint _flags;

    private SeccompBpf(byte[] program, uint flags)
    {
        _program = program;
        _flags = flags;
    }

    /// <summary>The seccomp(2) flags the load passes (runc's debug line names them).</summary>
    public uint Flags => _flags;

    /// <summary>Whether a rule notifies a listener: <see cref="Load"/> then returns the listener fd.</summary>
    public bool Notifies => (_flags & SeccompFilter.FlagNewListener) != 0;

    /// <summary>Reads the whole message the compiling thread wrote, then closes <paramref name="fd"/>.</summary>
    public static SeccompBpf Receive(int fd)
    {
        using var pipe = new FileDescriptor(fd);
        var message = SysCall.ReadToEnd(fd, "seccomp program pipe");
        if (message.Length >= 1 && message[0] == SeccompCompilation.ErrorFollows)
            throw new RuncsException(Encoding.UTF8.GetString(message, 1, message.Length - 1));
        if (message.Length < 5 || message[0] != SeccompCompilation.ProgramFollows || (message.Length - 5) % InstructionSize != 0)
            throw new RuncsException("linux.seccomp: the compiled filter did not arrive from runcs");
        return new SeccompBpf(message[5..], BitConverter.ToUInt32(message, 1));
    }

    /// <summary>Installs the filter; the listener fd when it notifies (the caller owns it), else -1.</summary>
    public int Load()
    {
        fixed (byte* filter = _program)
        {
            // struct sock_fprog: an instruction count, then a pointer to the instructions.
            var fprog = stackalloc byte[16];
            *(ushort*)fprog = (ushort)(_program.Length / InstructionSize);
            *(byte**)(fprog + 8) = filter;
            long r = Libc.syscall(Sys.seccomp, SeccompSetModeFilter, _flags, (long)fprog, 0, 0, 0);
            if (r < 0)
                throw SyscallException.FromLast("seccomp", "load seccomp filter (linux.seccomp)");
            return Notifies ? (int)r : -1;
        }
    }
}
