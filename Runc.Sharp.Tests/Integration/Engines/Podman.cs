using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration.Engines;

/// <summary>
/// Debian's podman with its storage, run and tmp dirs under a temp dir, and the flags
/// this host needs (DESIGN.md): vfs storage, cgroupfs, file events, no network, and
/// ulimits within the host's hard limits. Dispose removes every container and the dirs.
/// </summary>
public sealed class Podman : IDisposable
{
    public string Dir { get; }

    private Podman(string dir) => Dir = dir;

    public static Podman Start()
    {
        Runcs.RequireRoot();
        return new Podman(Directory.CreateTempSubdirectory("runcs-podman-").FullName);
    }

    /// <summary>The global flags that keep this podman's storage, state and events in the fixture's dir.</summary>
    private string[] Storage =>
        ["--root", Path.Combine(Dir, "storage"), "--runroot", Path.Combine(Dir, "run"), "--tmpdir", Path.Combine(Dir, "tmp"),
         "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs", "--events-backend", "file"];

    /// <summary>The flags every `podman run` here needs.</summary>
    public static readonly string[] RunFlags = ["--network", "none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"];

    public ProcResult Run(string runtime, params string[] args) => Command(["--runtime", runtime, .. args]);

    /// <summary>podman with the fixture's storage flags and <paramref name="args"/>, which name the runtime themselves.</summary>
    public ProcResult Command(IEnumerable<string> args) =>
        Runcs.Exec("/usr/bin/podman", [.. Storage, .. args], timeout: TimeSpan.FromSeconds(120));

    public void LoadTestImage()
    {
        var r = Run("/usr/bin/runc", "load", "-i", TestImage.OciArchive);
        Assert.That(r.ExitCode, Is.Zero, $"podman load: {r}");
    }

    public void Dispose()
    {
        Run("/usr/bin/runc", "rm", "--all", "--force", "--time", "0");
        Runcs.RemoveWithMounts(Dir);
    }
}
