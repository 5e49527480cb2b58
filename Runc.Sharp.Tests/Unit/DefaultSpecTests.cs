using NUnit.Framework;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Tests.Unit;

public class DefaultSpecTests
{
    private static readonly string[] DefaultCaps = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"];

    [Test]
    public void ExampleValidatesClean() => Assert.That(SpecValidator.Validate(DefaultSpec.Example()), Is.Empty);

    [Test]
    public void RootlessValidatesClean() => Assert.That(SpecValidator.Validate(DefaultSpec.Rootless(1000, 1000)), Is.Empty);

    [Test]
    public void ExampleSurvivesTheFileFormat()
    {
        var text = SpecText.Serialize(DefaultSpec.Example());
        Assert.That(SpecValidator.Validate(SpecText.Parse(text)), Is.Empty);
        Assert.That(SpecText.Serialize(SpecText.Parse(text)), Is.EqualTo(text));
    }

    [Test]
    public void ExampleMatchesRuncDefaults()
    {
        var s = DefaultSpec.Example();
        var p = s.Process!;
        Assert.Multiple(() =>
        {
            Assert.That(s.OciVersion, Is.EqualTo("1.3.0"));
            Assert.That(s.Root, Is.EqualTo(new Root { Path = "rootfs", Readonly = true }));
            Assert.That(p.Args, Is.EqualTo(new[] { "sh" }));
            Assert.That(p.Terminal, Is.True);
            Assert.That(p.Cwd, Is.EqualTo("/"));
            Assert.That(p.NoNewPrivileges, Is.True);
            Assert.That((p.User.Uid, p.User.Gid), Is.EqualTo((0u, 0u)));
            Assert.That(p.Env, Is.EqualTo(new[] { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm" }));
            Assert.That(s.Hostname, Is.Not.Null.And.Not.Empty);
            Assert.That(p.Capabilities!.Bounding, Is.EqualTo(DefaultCaps));
            Assert.That(p.Capabilities.Effective, Is.EqualTo(DefaultCaps));
            Assert.That(p.Capabilities.Permitted, Is.EqualTo(DefaultCaps));
            Assert.That(p.Capabilities.Inheritable, Is.Null);
            Assert.That(p.Capabilities.Ambient, Is.Null);
            Assert.That(p.Rlimits, Is.EqualTo(new[] { new Rlimit { Type = "RLIMIT_NOFILE", Hard = 1024, Soft = 1024 } }));
            Assert.That(s.Mounts!.Select(m => m.Destination),
                Is.EqualTo(new[] { "/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup" }));
            Assert.That(s.Mounts![2].Options, Does.Contain("gid=5").And.Contain("newinstance"));
            var l = s.Linux!;
            Assert.That(l.Namespaces!.Select(n => n.Type), Is.EqualTo(new[] { "pid", "network", "ipc", "uts", "mount", "cgroup" }));
            Assert.That(l.Namespaces!.All(n => n.Path is null));
            Assert.That(l.MaskedPaths, Is.EqualTo(new[]
            {
                "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
                "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi", "/sys/devices/virtual/powercap",
            }));
            Assert.That(l.ReadonlyPaths, Is.EqualTo(new[] { "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger" }));
            Assert.That(l.Resources!.Devices, Is.EqualTo(new[] { new DeviceRule { Allow = false, Access = "rwm" } }));
            Assert.That(l.UidMappings, Is.Null);
        });
    }

    [Test]
    public void RootlessMapsRootToTheCaller()
    {
        var s = DefaultSpec.Rootless(1000, 1001);
        var l = s.Linux!;
        Assert.Multiple(() =>
        {
            Assert.That(l.Namespaces!.Count(n => n.Type == "user"), Is.EqualTo(1));
            Assert.That(l.Namespaces!.Any(n => n.Type == "network"), Is.False);
            Assert.That(l.Namespaces!.Select(n => n.Type), Is.SupersetOf(new[] { "pid", "ipc", "uts", "mount", "cgroup" }));
            Assert.That(l.UidMappings, Is.EqualTo(new[] { new IdMapping { ContainerID = 0, HostID = 1000, Size = 1 } }));
            Assert.That(l.GidMappings, Is.EqualTo(new[] { new IdMapping { ContainerID = 0, HostID = 1001, Size = 1 } }));
            Assert.That(l.Resources, Is.Null);
            var sys = s.Mounts!.Single(m => m.Destination == "/sys");
            Assert.That(sys.Source, Is.EqualTo("/sys"));
            Assert.That(sys.Options, Does.Contain("rbind").And.Contain("ro"));
            Assert.That(MountOptions.IsBind(sys), Is.True);
            Assert.That(s.Mounts!.Single(m => m.Destination == "/sys/fs/cgroup").Options, Does.Contain("ro"),
                "runc's ToRootless keeps the read-only cgroup mount, which covers the host's that the /sys rbind brings");
            Assert.That(s.Mounts!.SelectMany(m => m.Options ?? []).Any(o => o.StartsWith("gid=")), Is.False);
            // The rest is the example's.
            var example = DefaultSpec.Example();
            Assert.That(Json(s.Process!), Is.EqualTo(Json(example.Process!)));
            Assert.That(l.MaskedPaths, Is.EqualTo(example.Linux!.MaskedPaths));
            Assert.That(s.Hostname, Is.EqualTo(example.Hostname));
        });
    }

    private static string Json(Process p) =>
        System.Text.Json.JsonSerializer.Serialize(p, SpecJson.Default.Process);

    [Test]
    public void RootlessDoesNotChangeTheExample()
    {
        var before = SpecText.Serialize(DefaultSpec.Example());
        _ = DefaultSpec.Rootless(5, 6);
        Assert.That(SpecText.Serialize(DefaultSpec.Example()), Is.EqualTo(before));
    }
}
