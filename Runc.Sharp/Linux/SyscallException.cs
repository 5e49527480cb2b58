using System.Runtime.InteropServices;

namespace Runc.Sharp.Linux;

/// <summary>A failed system call: the operation, the object it acted on, and errno.</summary>
public sealed class SyscallException : RuncsException
{
    public string Operation { get; }
    public string? Target { get; }
    public int Errno { get; }

    public SyscallException(string operation, string? target, int errno)
        : base(Format(operation, target, errno))
    {
        Operation = operation;
        Target = target;
        Errno = errno;
    }

    /// <summary>Throws for the errno the last P/Invoke left behind.</summary>
    public static SyscallException FromLast(string operation, string? target = null) =>
        new(operation, target, Marshal.GetLastPInvokeError());

    public static string Describe(int errno)
    {
        var text = Marshal.GetPInvokeErrorMessage(errno);
        return text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..] : $"errno {errno}";
    }

    private static string Format(string operation, string? target, int errno) =>
        target is null ? $"{operation}: {Describe(errno)}" : $"{operation} {target}: {Describe(errno)}";
}
