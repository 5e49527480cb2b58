using NUnit.Framework;
using Runc.Sharp.Lifecycle;
using Runc.Sharp.Linux;

namespace Runc.Sharp.Tests.Unit;

public class StatusDeriverTests
{
    private string _root = "";
    private StateStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        _root = Path.Combine(Path.GetTempPath(), "runcs-unit-" + Guid.NewGuid().ToString("N"));
        _store = new StateStore(_root);
        Directory.CreateDirectory(_store.DirOf("c"));
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private static ContainerState Self(ulong? startTime = null) => StateStoreTests.State("c", Environment.ProcessId) with
    {
        InitStartTime = startTime ?? ProcStat.Read(Environment.ProcessId)!.Value.StartTime,
        CgroupPaths = null,
    };

    [Test]
    public void LiveProcessWithItsStartTimeIsAlive() => Assert.That(StatusDeriver.InitAlive(Self()), Is.True);

    [Test]
    public void ReusedPidIsNotAlive()
    {
        var real = ProcStat.Read(Environment.ProcessId)!.Value.StartTime;
        Assert.That(StatusDeriver.InitAlive(Self(real + 1)), Is.False);
        Assert.That(StatusDeriver.InitAlive(Self(0)), Is.False);
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(int.MaxValue)]
    public void NoSuchProcessIsNotAlive(int pid) =>
        Assert.That(StatusDeriver.InitAlive(Self() with { InitPid = pid }), Is.False);

    [Test]
    public void DeriveFollowsRuncsRule()
    {
        Assert.That(StatusDeriver.Derive(_store, Self()), Is.EqualTo(ContainerStatus.Running));
        File.WriteAllText(_store.FifoOf("c"), "");
        Assert.That(StatusDeriver.Derive(_store, Self()), Is.EqualTo(ContainerStatus.Created));
        Assert.That(StatusDeriver.Derive(_store, Self() with { InitPid = 0 }), Is.EqualTo(ContainerStatus.Stopped));
        Assert.That(StatusDeriver.Derive(_store, Self(1)), Is.EqualTo(ContainerStatus.Stopped));
    }

    [Test]
    public void ARecordCreateHasNotFinishedIsCreatingWhateverItsPid()
    {
        Assert.That(StatusDeriver.Derive(_store, Self() with { Creating = true }), Is.EqualTo(ContainerStatus.Creating));
        Assert.That(StatusDeriver.Derive(_store, Self() with { Creating = true, InitPid = 0 }), Is.EqualTo(ContainerStatus.Creating));
        Assert.That(StatusDeriver.InitAlive(Self() with { Creating = true }), Is.False, "a creating record has no init to signal");
    }

    [Test]
    public void StatusTexts()
    {
        Assert.That(Enum.GetValues<ContainerStatus>().Select(s => s.ToText()),
            Is.EqualTo(new[] { "creating", "created", "running", "paused", "stopped" }));
    }
}
