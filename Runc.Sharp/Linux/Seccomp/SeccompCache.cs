using System.Buffers.Binary;
using System.Text;

namespace Runc.Sharp.Linux.Seccomp;

/// <summary>
/// Compiled seccomp programs under the state root, so the second container with a profile
/// does not compile it again (Docker's took 13 ms, longer than the init's start it overlaps).
/// A file holds its whole key (the linux.seccomp document, libseccomp's and runcs's versions,
/// the kernel release, which decides libseccomp's API level) and is used only when that key
/// is byte for byte the one asked for; its name is a hash of the key, nothing more. The
/// directory is the root's, as private as the state beside it; its name is no container id.
/// </summary>
public static class SeccompCache
{
    private const string DirName = "seccomp@cache";
    /// <summary>The cache keeps this many programs, the most recently written (a root on tmpfs is memory).</summary>
    private const int Kept = 32;

    public static byte[] Key(Spec.Seccomp config) =>
        [.. Encoding.UTF8.GetBytes($"{BuildInfoText()}\n"), .. Spec.Codec.SpecEncoder.Encode(config)];

    private static string BuildInfoText() =>
        $"runcs {Cli.BuildInfo.Commit} libseccomp {SeccompFilter.LibraryVersion} kernel {KernelRelease()}";

    private static string KernelRelease()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    /// <summary>The cached message (flags and program) for <paramref name="key"/>, or null.</summary>
    public static byte[]? TryRead(string root, byte[] key)
    {
        byte[] file;
        try
        {
            file = File.ReadAllBytes(PathOf(root, key));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (file.Length < 4 || BinaryPrimitives.ReadInt32LittleEndian(file) is var n && (n != key.Length || file.Length < 4 + n + 4)
            || !file.AsSpan(4, n).SequenceEqual(key) || (file.Length - 4 - n - 4) % 8 != 0)
            return null;
        return file[(4 + n)..];
    }

    /// <summary>Stores it atomically (temp file, rename); a root that refuses the write only costs the next compile.</summary>
    public static void TryWrite(string root, byte[] key, byte[] message)
    {
        var dir = Path.Combine(root, DirName);
        var path = PathOf(root, key);
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var length = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(length, key.Length);
            File.WriteAllBytes(temp, [.. length, .. key, .. message]);
            File.Move(temp, path, overwrite: true);
            foreach (var old in new DirectoryInfo(dir).GetFiles("*.bpf").OrderByDescending(f => f.LastWriteTimeUtc).Skip(Kept))
                old.Delete();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Forget(temp);
        }
    }

    private static void Forget(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind in the cache directory, where nothing reads a .tmp file.
        }
    }

    private static string PathOf(string root, byte[] key)
    {
        // FNV-1a: a stable file name; the key inside the file is what is trusted.
        ulong hash = 14695981039346656037;
        foreach (var b in key)
            hash = (hash ^ b) * 1099511628211;
        return Path.Combine(root, DirName, $"{hash:x16}.bpf");
    }
}
