using NUnit.Framework;
using Runc.Sharp.Cgroups;
using Runc.Sharp.Cgroups.Resources;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Tests.Unit.Cgroups;

/// <summary>memory.checkBeforeUpdate against the usage file of each cgroup version.</summary>
public class MemoryUsageCheckTests
{
    private static MemoryResources Limit(long limit, bool? check = true) => new() { Limit = limit, CheckBeforeUpdate = check };

    [TestCase(CgroupMode.Unified, "", "memory.current")]
    [TestCase(CgroupMode.Legacy, "memory", "memory.usage_in_bytes")]
    [TestCase(CgroupMode.Hybrid, "memory", "memory.usage_in_bytes")]
    public void ALimitBelowUsageIsRefused(CgroupMode mode, string hierarchy, string file)
    {
        var probe = new FakeProbe().With(hierarchy, file, "20971520\n");
        var e = Assert.Throws<RuncsException>(() => MemoryUsageCheck.Check(mode, Limit(10 << 20), probe))!;
        Assert.That(e.Message, Is.EqualTo("linux.resources.memory.limit 10485760: below the container's current memory usage 20971520 (checkBeforeUpdate)"));
    }

    [Test]
    public void ALimitAboveUsagePasses() =>
        Assert.That(() => MemoryUsageCheck.Check(CgroupMode.Unified, Limit(64 << 20), new FakeProbe().With("", "memory.current", "1000")), Throws.Nothing);

    [TestCase(null)]
    [TestCase(false)]
    public void WithoutTheFlagNothingIsRead(bool? check)
    {
        var probe = new FakeProbe();
        MemoryUsageCheck.Check(CgroupMode.Unified, Limit(1, check), probe);
        Assert.That(probe.Reads, Is.Empty);
    }

    [TestCase(-1L)]
    [TestCase(0L)]
    public void UnlimitedOrUnsetLimitsAreNotChecked(long limit) =>
        Assert.That(() => MemoryUsageCheck.Check(CgroupMode.Unified, Limit(limit), new FakeProbe()), Throws.Nothing);

    [Test]
    public void UnreadableUsageIsAnError() =>
        Assert.That(() => MemoryUsageCheck.Check(CgroupMode.Unified, Limit(100), new FakeProbe()),
            Throws.InstanceOf<RuncsException>().With.Message.Contains("cannot read the container's memory usage (memory.current)"));
}
