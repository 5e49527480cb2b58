using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration.Engines;

/// <summary>
/// Debian's containerd started by hand: its own config, root, state and sockets under a
/// temp dir (the CRI plugin off unless the config asks for it), and a namespace of its
/// own, so the runtime state (/run/containerd/runc/NS) and cgroups (/NS/ID) it makes are
/// this fixture's alone (the CRI's pods live in the k8s.io namespace). Dispose stops the
/// daemon and its shims and removes all of it, and only what was not there before.
/// </summary>
public sealed class Containerd : IDisposable
{
    private readonly Daemon _daemon;
    private readonly string[] _namespaceDirsBefore;

    public string Dir { get; }
    public string Socket { get; }
    public string Namespace { get; }

    private Containerd(string dir, string extraConfig)
    {
        Dir = dir;
        Socket = Path.Combine(dir, "containerd.sock");
        Namespace = $"runcs-test-{Environment.ProcessId}";
        _namespaceDirsBefore = NamespaceDirs().ToArray();
        var config = Path.Combine(dir, "config.toml");
        File.WriteAllText(config, $"""
            version = 2
            root = "{dir}/root"
            state = "{dir}/state"
            {(extraConfig.Contains("io.containerd.grpc.v1.cri") ? "" : "disabled_plugins = [\"io.containerd.grpc.v1.cri\"]")}
            [grpc]
              address = "{Socket}"
            [ttrpc]
              address = "{Socket}.ttrpc"
            [debug]
              address = "{dir}/debug.sock"
            {extraConfig}
            """);
        _daemon = Daemon.Start("/usr/bin/containerd", ["--config", config], Path.Combine(dir, "containerd.log"));
        _daemon.WaitUntil(() => File.Exists(Socket) && Ctr("version").ExitCode == 0, TimeSpan.FromSeconds(30));
    }

    /// <summary>Starts containerd with <paramref name="extraConfig"/> appended to its config.toml.</summary>
    public static Containerd Start(string extraConfig = "")
    {
        Runcs.RequireRoot();
        return new Containerd(Directory.CreateTempSubdirectory("runcs-containerd-").FullName, extraConfig);
    }

    public string Log => _daemon.Log;

    public ProcResult Ctr(params string[] args) => Runcs.Exec("/usr/bin/ctr", ["-a", Socket, "-n", Namespace, .. args]);

    /// <summary>The ctr command line, for a client that must run on a terminal.</summary>
    public string[] CtrArgv(params string[] args) => ["/usr/bin/ctr", "-a", Socket, "-n", Namespace, .. args];

    /// <summary>Imports an OCI archive into <paramref name="ns"/> (default: this fixture's namespace; the CRI reads k8s.io).</summary>
    public void Import(string archive, string? ns = null)
    {
        var r = Runcs.Exec("/usr/bin/ctr", ["-a", Socket, "-n", ns ?? Namespace, "images", "import", archive]);
        Assert.That(r.ExitCode, Is.Zero, $"ctr images import {archive}: {r}");
    }

    /// <summary>The directory where the shim's runtime (runcs or runc) keeps a container's state.</summary>
    public string RuntimeStateDir(string id) => Path.Combine("/run/containerd/runc", Namespace, id);

    public void Dispose()
    {
        _daemon.Dispose();
        foreach (var shim in Runcs.ProcessesWhose(cmdline => cmdline.Contains("containerd-shim") && cmdline.Contains(Socket)))
            Linux.Native.Libc.kill(shim, 9);
        Runcs.RemoveWithMounts(Dir);
        foreach (var dir in NamespaceDirs().Except(_namespaceDirsBefore))
            Directory.Delete(dir, recursive: dir.StartsWith("/run/", StringComparison.Ordinal));
    }

    /// <summary>The per-namespace runtime state roots and cgroup parents of this fixture's namespace and the CRI's.</summary>
    private IEnumerable<string> NamespaceDirs()
    {
        foreach (var ns in new[] { Namespace, "k8s.io" })
        {
            var state = Path.Combine("/run/containerd/runc", ns);
            if (Directory.Exists(state))
                yield return state;
            foreach (var cgroup in Directory.GetDirectories("/sys/fs/cgroup").Select(h => Path.Combine(h, ns)).Where(Directory.Exists))
                yield return cgroup;
        }
    }
}
