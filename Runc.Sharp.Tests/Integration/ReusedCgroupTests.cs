using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>
/// A container whose cgroup exists already: runc 1.2's rules (reused only empty and thawed),
/// and this kernel's CLONE_INTO_CGROUP bug (a child born into a cgroup whose cgroup.kill count
/// differs from its parent's is SIGKILLed at birth; Launch/ChildCgroups.cs).
/// </summary>
[TestFixture]
[NonParallelizable]
public class ReusedCgroupTests
{
    private const string Unified = "/sys/fs/cgroup/unified";

    private static string Parent(TestBundle b) => $"/runcs-it-reuse-{b.Id}";

    private static TestBundle Bundle(params string[] args)
    {
        var b = new TestBundle(args);
        b.Linux["cgroupsPath"] = $"{Parent(b)}/c";
        return b;
    }

    private static void RemoveParent(TestBundle b)
    {
        foreach (var hierarchy in Directory.GetDirectories("/sys/fs/cgroup"))
        {
            var dir = hierarchy + Parent(b);
            if (Directory.Exists(dir + "/c"))
                Directory.Delete(dir + "/c");
            if (Directory.Exists(dir))
                Directory.Delete(dir);
        }
    }

    [Test]
    public void AnEmptyCgroupThatWasKilledIsReused()
    {
        using var b = Bundle("sh", "-c", "echo up");
        try
        {
            var dir = Unified + Parent(b) + "/c";
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "cgroup.kill"), "1");
            var r = b.Run();
            Assert.That(r, Is.EqualTo(new ProcResult(0, "up\n", "")), "a cgroup left by a killed container runs the next one");
            Assert.That(Directory.Exists(dir), Is.True, "a cgroup that existed before create stays after delete");
        }
        finally
        {
            RemoveParent(b);
        }
    }

    [Test]
    public void RuncsInAKilledCgroupStillStartsContainers()
    {
        using var b = new TestBundle("sh", "-c", "echo up");
        var own = Unified + $"/runcs-it-killed-{b.Id}";
        Directory.CreateDirectory(own);
        try
        {
            File.WriteAllText(Path.Combine(own, "cgroup.kill"), "1");
            b.Save();
            var r = Runcs.Exec("/bin/sh", ["-c", "echo $$ > \"$1/cgroup.procs\" && shift && exec \"$@\"", "sh", own,
                Runcs.Binary, "--root", b.StateRoot, "run", "--bundle", b.Dir, b.Id]);
            Assert.That(r, Is.EqualTo(new ProcResult(0, "up\n", "")));
        }
        finally
        {
            Directory.Delete(own);
        }
    }

    [Test]
    public void ANonEmptyCgroupIsRefused()
    {
        using var first = Bundle("sleep", "300");
        using var second = new TestBundle("true");
        try
        {
            Assert.That(first.Run("-d").ExitCode, Is.Zero);
            second.Linux["cgroupsPath"] = first.Linux["cgroupsPath"]!.GetValue<string>();
            var before = Runcs.InitProcesses();
            var r = second.Run();
            Assert.That(r, Is.EqualTo(new ProcResult(1, "", "runcs: run failed: container's cgroup is not empty: 1 process(es) found\n")));
            Assert.That(Directory.Exists(Path.Combine(second.StateRoot, second.Id)), Is.False);
            Assert.That(Runcs.InitProcesses().Except(before), Is.Empty);
            first.Runcs("delete", "-f", first.Id);
        }
        finally
        {
            RemoveParent(first);
        }
    }

    [Test]
    public void AFrozenCgroupIsRefusedAndNothingHangs()
    {
        using var b = Bundle("true");
        try
        {
            var freezer = "/sys/fs/cgroup/freezer" + Parent(b) + "/c";
            Directory.CreateDirectory(freezer);
            File.WriteAllText(Path.Combine(freezer, "freezer.state"), "FROZEN");
            var before = Runcs.InitProcesses();
            var r = b.Create();
            Assert.That(r, Is.EqualTo(new ProcResult(1, "", "runcs: create failed: container's cgroup unexpectedly frozen\n")));
            Assert.That(Runcs.InitProcesses().Except(before), Is.Empty, "no init left parked in the refrigerator");
            Assert.That(Directory.Exists(Path.Combine(b.StateRoot, b.Id)), Is.False);
            File.WriteAllText(Path.Combine(freezer, "freezer.state"), "THAWED");
        }
        finally
        {
            RemoveParent(b);
        }
    }
}
