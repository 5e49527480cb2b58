using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration.Engines;

/// <summary>
/// Debian's dockerd started by hand (DESIGN.md): data root, exec root, pid file and socket
/// under a temp dir, no bridge, no iptables, vfs storage; the managed containerd it
/// starts keeps its state there too. Runtime state for a runtime NAME lives in
/// EXECROOT/runtime-*/moby/ID. Dispose stops dockerd (and with it every container) and removes it all.
/// </summary>
public sealed class Docker : IDisposable
{
    private readonly Daemon _daemon;
    private readonly string[] _cgroupParentsBefore;

    public string Dir { get; }
    public string Socket { get; }
    public string ExecRoot => Path.Combine(Dir, "exec");

    private Docker(string dir, IEnumerable<string> extraArgs)
    {
        Dir = dir;
        Socket = Path.Combine(dir, "docker.sock");
        _cgroupParentsBefore = CgroupParents();
        string[] args =
        [
            "--data-root", Path.Combine(dir, "data"), "--exec-root", ExecRoot, "--pidfile", Path.Combine(dir, "docker.pid"),
            "-H", $"unix://{Socket}", "--bridge", "none", "--iptables=false", "--storage-driver", "vfs", .. extraArgs,
        ];
        _daemon = Daemon.Start("/usr/sbin/dockerd", args, Path.Combine(dir, "dockerd.log"));
        _daemon.WaitUntil(() => File.Exists(Socket) && Run("version").ExitCode == 0, TimeSpan.FromSeconds(60));
    }

    /// <summary>Starts dockerd with <paramref name="extraArgs"/> (say --add-runtime or --config-file).</summary>
    public static Docker Start(params string[] extraArgs)
    {
        Runcs.RequireRoot();
        return new Docker(Directory.CreateTempSubdirectory("runcs-docker-").FullName, extraArgs);
    }

    public string Log => _daemon.Log;

    public ProcResult Run(params string[] args) => Runcs.Exec("/usr/bin/docker", ["-H", $"unix://{Socket}", .. args], timeout: TimeSpan.FromSeconds(120));

    /// <summary>The docker command line, for a client that must run on a terminal.</summary>
    public string[] Argv(params string[] args) => ["/usr/bin/docker", "-H", $"unix://{Socket}", .. args];

    public void ImportTestImage()
    {
        var r = Run("import", TestImage.PlainRootfsTar, TestImage.Name);
        Assert.That(r.ExitCode, Is.Zero, $"docker import: {r}");
    }

    /// <summary>
    /// The runtime's state directories for container <paramref name="id"/>: EXECROOT/runtime-NAME/moby/ID,
    /// where dockerd 20.10 picks NAME itself (runtime-runc for a runtime from daemon.json).
    /// </summary>
    public IReadOnlyList<string> RuntimeStateDirs(string id) =>
        Directory.GetDirectories(ExecRoot, "runtime-*").Select(d => Path.Combine(d, "moby", id)).Where(Directory.Exists).ToList();

    /// <summary>The container's cgroup directories, one per hierarchy (cgroupfs driver: /docker/ID).</summary>
    public static IEnumerable<string> CgroupDirs(string id) =>
        Directory.GetDirectories("/sys/fs/cgroup").Select(h => Path.Combine(h, "docker", id)).Where(Directory.Exists);

    private static string[] CgroupParents() =>
        Directory.GetDirectories("/sys/fs/cgroup").Select(h => Path.Combine(h, "docker")).Where(Directory.Exists).ToArray();

    public void Dispose()
    {
        _daemon.Dispose();
        Runcs.RemoveWithMounts(Dir);
        foreach (var parent in CgroupParents().Except(_cgroupParentsBefore))
            Directory.Delete(parent);
    }
}
