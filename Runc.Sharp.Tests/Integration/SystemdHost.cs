using System.Globalization;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>
/// A machine with systemd for the --systemd-cgroup tests, which this host is not (its pid 1 is
/// no systemd): Debian's systemd as pid 1 of a runcs container, its own /run, /var, /tmp and
/// network, the host's /usr and /etc read-only, and no unit of the host's /etc/systemd/system.
/// runcs runs inside it through nsenter, so it finds /run/systemd the way it would on such a
/// host; the busybox rootfs, the binary and a work dir for bundles are bound in under /runcs-test.
/// </summary>
public sealed class SystemdHost : IDisposable
{
    public const string Rootfs = "/runcs-test/rootfs";
    public const string Work = "/runcs-test/work";
    private const string BinaryDir = "/runcs-test/bin";
    private readonly TestBundle _machine;
    private readonly TempDir _skeleton = new();
    private readonly string _work;
    private int _bundles;

    public SystemdHost()
    {
        Integration.Runcs.RequireRoot();
        _work = Directory.CreateDirectory(Path.Combine("/var/lib", $"runcs-systemd-test-{Environment.ProcessId}")).FullName;
        foreach (var dir in new[] { "usr", "etc", "proc", "sys", "dev", "run", "tmp", "var", "root", "runcs-test/bin", "runcs-test/rootfs", "runcs-test/work" })
            Directory.CreateDirectory(Path.Combine(_skeleton.Path, dir));
        // The root every service walks through, messagebus among them (a temp dir is 0700).
        File.SetUnixFileMode(_skeleton.Path, (UnixFileMode)0b111_101_101);
        foreach (var link in new[] { "bin", "lib", "lib64", "sbin" })
            File.CreateSymbolicLink(Path.Combine(_skeleton.Path, link), "usr/" + link);

        _machine = new TestBundle("/lib/systemd/systemd");
        _machine.Config["root"] = new JsonObject { ["path"] = _skeleton.Path, ["readonly"] = true };
        _machine.Process["env"]!.AsArray().Add("container=runcs");
        var caps = new JsonArray(HostCapabilities().Select(c => (JsonNode)c!).ToArray());
        _machine.Process["capabilities"] = new JsonObject
        {
            ["bounding"] = caps.DeepClone(), ["effective"] = caps.DeepClone(), ["permitted"] = caps.DeepClone(),
        };
        var mounts = _machine.Config["mounts"]!.AsArray();
        foreach (var m in mounts.Where(m => m!["destination"]!.GetValue<string>() == "/sys/fs/cgroup"))
            m!["options"] = new JsonArray("nosuid", "noexec", "nodev", "relatime", "rw");
        foreach (var dir in new[] { "/run", "/var", "/etc/systemd/system" })
            mounts.Add(TestBundle.Mount(dir, "tmpfs", "tmpfs", "nosuid", "nodev", "mode=755"));
        mounts.Add(TestBundle.Mount("/tmp", "tmpfs", "tmpfs", "nosuid", "nodev", "mode=1777"));
        mounts.Add(TestBundle.Mount("/usr", "bind", "/usr", "rbind", "ro"));
        mounts.Add(TestBundle.Mount("/etc", "bind", "/etc", "rbind", "ro"));
        mounts.Add(TestBundle.Mount(BinaryDir, "bind", Path.GetDirectoryName(Integration.Runcs.Binary)!, "rbind", "ro"));
        mounts.Add(TestBundle.Mount(Rootfs, "bind", Integration.Runcs.Rootfs, "rbind", "ro"));
        mounts.Add(TestBundle.Mount(Work, "bind", _work, "rbind"));
        // Order: /etc/systemd/system's tmpfs goes over the /etc bind.
        var etcSystem = mounts.First(m => m!["destination"]!.GetValue<string>() == "/etc/systemd/system")!;
        mounts.Remove(etcSystem);
        mounts.Add(etcSystem);
        _machine.Linux["namespaces"] = new JsonArray(
            new JsonObject { ["type"] = "pid" }, new JsonObject { ["type"] = "mount" }, new JsonObject { ["type"] = "ipc" },
            new JsonObject { ["type"] = "uts" }, new JsonObject { ["type"] = "cgroup" }, new JsonObject { ["type"] = "network" });
        _machine.Linux["maskedPaths"] = new JsonArray();
        _machine.Linux["readonlyPaths"] = new JsonArray();
        var run = _machine.Run("-d");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Pid = _machine.State()["pid"]!.GetValue<int>();
        string state = "";
        LifecycleTests.WaitFor(() => (state = Inside("systemctl", "is-system-running").Stdout.Trim()) is "running" or "degraded", 30000);
        TestContext.Out.WriteLine($"systemd in container {_machine.Id} (pid {Pid}): {state}");
    }

    /// <summary>Host pid of the systemd.</summary>
    public int Pid { get; }

    /// <summary>Runs a program inside, in all of the machine's namespaces.</summary>
    public ProcResult Inside(string program, params string[] args) =>
        Integration.Runcs.Exec("nsenter", ["-t", Pid.ToString(CultureInfo.InvariantCulture), "-a", program, .. args], timeout: TimeSpan.FromSeconds(60));

    /// <summary>runcs --systemd-cgroup inside, with its state under the machine's /run.</summary>
    public ProcResult Runcs(params string[] args) =>
        Inside(BinaryDir + "/" + Path.GetFileName(Integration.Runcs.Binary), ["--systemd-cgroup", "--root", "/run/runcs-test", .. args]);

    /// <summary>A bundle in the work dir whose rootfs is the busybox one as the machine sees it; returns its path inside.</summary>
    public string Bundle(Action<JsonObject> configure, params string[] args)
    {
        var name = $"b{Interlocked.Increment(ref _bundles)}";
        using var template = new TestBundle(args);
        var config = template.Config;
        config["root"] = new JsonObject { ["path"] = Rootfs, ["readonly"] = true };
        configure(config);
        Directory.CreateDirectory(Path.Combine(_work, name));
        File.WriteAllText(Path.Combine(_work, name, "config.json"), config.ToJsonString());
        return Work + "/" + name;
    }

    /// <summary>The host's bounding set by name (this host's lacks CAP_SYS_RESOURCE, which systemd then does without).</summary>
    private static IEnumerable<string> HostCapabilities()
    {
        var line = File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("CapBnd:", StringComparison.Ordinal));
        var mask = ulong.Parse(line["CapBnd:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return Runc.Sharp.Spec.Known.Capabilities.Where((_, bit) => (mask & (1UL << bit)) != 0);
    }

    public void Dispose()
    {
        _machine.Runcs("delete", "--force", _machine.Id);
        _machine.Dispose();
        _skeleton.Dispose();
        Directory.Delete(_work, recursive: true);
    }
}
