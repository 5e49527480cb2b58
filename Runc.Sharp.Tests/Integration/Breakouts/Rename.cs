using System.Runtime.InteropServices;

namespace Runc.Sharp.Tests.Integration.Breakouts;

/// <summary>renameat2(RENAME_EXCHANGE): swaps two paths atomically, as the CVE-2021-30465 exploit did.</summary>
public static partial class Rename
{
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int renameat2(int olddirfd, string oldpath, int newdirfd, string newpath, uint flags);

    private const int AtFdCwd = -100;
    private const uint Exchange_ = 2;

    public static void Exchange(string a, string b)
    {
        if (renameat2(AtFdCwd, a, AtFdCwd, b, Exchange_) != 0)
            throw new IOException($"renameat2 {a} {b}: errno {Marshal.GetLastPInvokeError()}");
    }
}
