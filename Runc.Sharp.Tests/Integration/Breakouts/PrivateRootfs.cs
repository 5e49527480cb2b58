namespace Runc.Sharp.Tests.Integration.Breakouts;

/// <summary>A copy of the busybox rootfs that a test may turn hostile (symlinks, fake devices).</summary>
public sealed class PrivateRootfs : IDisposable
{
    private readonly TempDir _dir = new();

    public PrivateRootfs()
    {
        var r = Runcs.Exec("/bin/cp", ["-a", Runcs.Rootfs + "/.", _dir.Path]);
        NUnit.Framework.Assert.That(r.ExitCode, NUnit.Framework.Is.Zero, r.ToString());
    }

    public string Path => _dir.Path;

    public string this[string inside] => System.IO.Path.Combine(Path, inside.TrimStart('/'));

    /// <summary>Replaces whatever is at <paramref name="inside"/> with a symlink to <paramref name="target"/>.</summary>
    public void Symlink(string inside, string target)
    {
        var at = this[inside];
        if (Directory.Exists(at) && !File.GetAttributes(at).HasFlag(FileAttributes.ReparsePoint))
            Directory.Delete(at, recursive: true);
        else if (File.Exists(at) || Directory.Exists(at))
            File.Delete(at);
        File.CreateSymbolicLink(at, target);
    }

    /// <summary>Points the bundle at this rootfs, writable.</summary>
    public void Use(TestBundle b)
    {
        b.Config["root"]!["path"] = Path;
        b.Config["root"]!["readonly"] = false;
    }

    public void Dispose() => _dir.Dispose();
}

/// <summary>A host directory with a marker file that no container may reach.</summary>
public sealed class HostMarker : IDisposable
{
    private readonly TempDir _dir = new();

    public HostMarker()
    {
        System.IO.File.WriteAllText(File, "host\n");
    }

    public string Dir => _dir.Path;
    public string File => System.IO.Path.Combine(_dir.Path, "HOST_MARKER");

    /// <summary>True if the marker file or directory is exactly as the test made it.</summary>
    public bool Untouched => System.IO.File.ReadAllText(File) == "host\n" && Directory.GetFileSystemEntries(Dir).Length == 1;

    public void Dispose() => _dir.Dispose();
}
