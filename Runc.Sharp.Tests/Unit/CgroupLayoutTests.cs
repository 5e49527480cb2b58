using NUnit.Framework;
using Runc.Sharp.Cgroups;

namespace Runc.Sharp.Tests.Unit;

public class CgroupLayoutTests
{
    // Shaped like this CI host's /proc/self/mountinfo.
    internal static readonly string[] Hybrid =
    [
        "23 1 0:21 / / rw,relatime - overlay overlay rw,lowerdir=/l,upperdir=/u,workdir=/w",
        "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
        "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
        "33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct",
        "34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset",
        "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
        "36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices",
        "37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer",
        "38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio",
        "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids",
        "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd",
        "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw",
    ];

    internal static readonly string[] Unified =
    [
        "23 1 0:21 / / rw,relatime - ext4 /dev/sda1 rw",
        "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot",
    ];

    internal static readonly string[] Legacy =
    [
        "23 1 0:21 / / rw,relatime - ext4 /dev/sda1 rw",
        "31 23 0:28 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755",
        "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,cpu,cpuacct",
        "33 31 0:30 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,memory",
        "34 31 0:31 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,net_cls,net_prio",
        "35 31 0:32 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,pids",
    ];

    [Test]
    public void DetectsHybrid()
    {
        var layout = CgroupLayout.Detect(Hybrid, CgroupLayout.DefaultRoot);
        Assert.That(layout.Mode, Is.EqualTo(CgroupMode.Hybrid));
        Assert.That(layout.UnifiedMount, Is.EqualTo("/sys/fs/cgroup/unified"));
        Assert.That(layout.V1Mounts.Keys, Is.EquivalentTo(new[] { "cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "name=systemd" }));
        Assert.That(layout.V1Mounts["memory"], Is.EqualTo("/sys/fs/cgroup/memory"));
        Assert.That(layout.V1Mounts["name=systemd"], Is.EqualTo("/sys/fs/cgroup/systemd"));
    }

    [Test]
    public void DetectsUnified()
    {
        var layout = CgroupLayout.Detect(Unified, CgroupLayout.DefaultRoot);
        Assert.That(layout.Mode, Is.EqualTo(CgroupMode.Unified));
        Assert.That(layout.UnifiedMount, Is.EqualTo("/sys/fs/cgroup"));
        Assert.That(layout.V1Mounts, Is.Empty);
    }

    [Test]
    public void DetectsLegacyWithCoMountedControllers()
    {
        var layout = CgroupLayout.Detect(Legacy, CgroupLayout.DefaultRoot);
        Assert.That(layout.Mode, Is.EqualTo(CgroupMode.Legacy));
        Assert.That(layout.UnifiedMount, Is.Null);
        Assert.That(layout.V1Mounts["cpu"], Is.EqualTo("/sys/fs/cgroup/cpu,cpuacct"));
        Assert.That(layout.V1Mounts["cpuacct"], Is.EqualTo("/sys/fs/cgroup/cpu,cpuacct"));
        Assert.That(layout.V1Mounts["net_prio"], Is.EqualTo("/sys/fs/cgroup/net_cls,net_prio"));
        Assert.That(layout.V1Mounts.Keys, Is.EquivalentTo(new[] { "cpu", "cpuacct", "memory", "net_cls", "net_prio", "pids" }));
    }

    [Test]
    public void UnifiedMountWinsOverStrayV1Mounts()
    {
        var layout = CgroupLayout.Detect([.. Unified, "50 30 0:40 / /mnt/v1mem rw - cgroup cgroup rw,memory"], CgroupLayout.DefaultRoot);
        Assert.That(layout.Mode, Is.EqualTo(CgroupMode.Unified));
        Assert.That(layout.V1Mounts, Is.Empty);
    }

    [Test]
    public void FirstMountOfAControllerWins()
    {
        var layout = CgroupLayout.Detect([.. Legacy, "60 23 0:41 / /mnt/again rw - cgroup cgroup rw,memory"], CgroupLayout.DefaultRoot);
        Assert.That(layout.V1Mounts["memory"], Is.EqualTo("/sys/fs/cgroup/memory"));
    }

    [Test]
    public void NoCgroupsAtAllIsTreatedAsUnified()
    {
        var layout = CgroupLayout.Detect(["23 1 0:21 / / rw - ext4 /dev/sda1 rw", "garbage line"], CgroupLayout.DefaultRoot);
        Assert.That(layout.Mode, Is.EqualTo(CgroupMode.Unified));
        Assert.That(layout.UnifiedMount, Is.Null);
    }

    [Test]
    public void HostLayoutIsReadable()
    {
        var host = CgroupLayout.Host;
        Assert.That(host.UnifiedMount is not null || host.V1Mounts.Count > 0, Is.True);
    }
}
