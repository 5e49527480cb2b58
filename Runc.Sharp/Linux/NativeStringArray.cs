using System.Runtime.InteropServices;

namespace Runc.Sharp.Linux;

/// <summary>
/// A NULL-terminated array of NUL-terminated UTF-8 strings in unmanaged memory: the argv
/// and envp that execve and posix_spawn take. Freed on Dispose.
/// </summary>
public sealed unsafe class NativeStringArray : IDisposable
{
    private readonly int _count;

    public byte** Pointer { get; }

    public NativeStringArray(IReadOnlyList<string> items)
    {
        _count = items.Count;
        Pointer = (byte**)NativeMemory.AllocZeroed((nuint)(_count + 1), (nuint)sizeof(byte*));
        for (int i = 0; i < _count; i++)
        {
            var bytes = SysCall.Utf8(items[i]);
            var copy = (byte*)NativeMemory.Alloc((nuint)bytes.Length);
            bytes.AsSpan().CopyTo(new Span<byte>(copy, bytes.Length));
            Pointer[i] = copy;
        }
    }

    public void Dispose()
    {
        for (int i = 0; i < _count; i++)
            NativeMemory.Free(Pointer[i]);
        NativeMemory.Free(Pointer);
    }
}
