using System.Buffers.Binary;
using System.Text;
using Runc.Sharp.Linux;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Launch;

/// <summary>
/// An error that crosses from the init (or the fifo) to the parent as one message, typed:
/// a failed system call keeps its operation, target (which names the config element) and
/// errno, a config error stays a config error, so the parent throws the exception it would
/// have thrown itself. Layout: kind byte, errno (int32 LE), then operation, target and
/// message, each an int32 LE length and UTF-8 bytes.
/// </summary>
public static class InitFailure
{
    private enum Kind : byte { Runtime = 1, Syscall = 2, Config = 3, Exec = 4 }

    public static byte[] Encode(Exception e)
    {
        var (kind, errno, op, target) = e switch
        {
            SyscallException s => (Kind.Syscall, s.Errno, s.Operation, s.Target ?? ""),
            ConfigError => (Kind.Config, 0, "", ""),
            ContainerExecFailed => (Kind.Exec, 0, "", ""),
            _ => (Kind.Runtime, 0, "", ""),
        };
        var message = e is RuncsException ? e.Message : Unexpected.Describe(e);
        var parts = new[] { op, target, message }.Select(Encoding.UTF8.GetBytes).ToArray();
        var buf = new byte[5 + parts.Sum(p => 4 + p.Length)];
        buf[0] = (byte)kind;
        BinaryPrimitives.WriteInt32LittleEndian(buf.AsSpan(1), errno);
        int at = 5;
        foreach (var p in parts)
        {
            BinaryPrimitives.WriteInt32LittleEndian(buf.AsSpan(at), p.Length);
            p.CopyTo(buf, at + 4);
            at += 4 + p.Length;
        }
        return buf;
    }

    /// <summary>The exception the payload describes; a payload that is not one becomes a plain error quoting it.</summary>
    public static RuncsException Decode(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 5 || !Enum.IsDefined((Kind)payload[0]))
            return new RuncsException(Encoding.UTF8.GetString(payload));
        var kind = (Kind)payload[0];
        int errno = BinaryPrimitives.ReadInt32LittleEndian(payload[1..]);
        var rest = payload[5..];
        var parts = new string[3];
        for (int i = 0; i < 3; i++)
        {
            if (rest.Length < 4 || BinaryPrimitives.ReadInt32LittleEndian(rest) is var n && (n < 0 || n > rest.Length - 4))
                return new RuncsException("container init sent a malformed error report");
            parts[i] = Encoding.UTF8.GetString(rest.Slice(4, n));
            rest = rest[(4 + n)..];
        }
        return kind switch
        {
            Kind.Syscall => new SyscallException(parts[0], parts[1].Length == 0 ? null : parts[1], errno),
            Kind.Config => new ConfigError(parts[2]),
            Kind.Exec => new ContainerExecFailed(parts[2]),
            _ => new RuncsException(parts[2]),
        };
    }
}
