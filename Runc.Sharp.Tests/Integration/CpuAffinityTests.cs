using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>
/// CPU affinity as runc 1.3 (runc's cpu_affinity.bats): runcs started under `taskset -c 0`
/// must not pass that affinity on; an exec is born with execCPUAffinity.initial and ends with
/// .final. Read from inside the container (Cpus_allowed_list) and from the debug log.
/// </summary>
[TestFixture]
[NonParallelizable]
public class CpuAffinityTests
{
    private static readonly string Grep = "grep -F Cpus_allowed_list: /proc/self/status";

    [SetUp]
    public void NeedsTwoCpus() =>
        Assume.That(Online(), Is.Not.EqualTo("0"), "needs at least two CPUs");

    private static string Online() => File.ReadAllText("/sys/devices/system/cpu/online").Trim();

    /// <summary>runcs itself pinned to CPU 0.</summary>
    private static ProcResult Pinned(TestBundle b, params string[] args) =>
        Runcs.Exec("taskset", ["-c", "0", Runcs.Binary, "--root", b.StateRoot, .. args], cwd: b.Dir);

    private static string AllowedList(ProcResult r) =>
        r.Stdout.Split('\n').Single(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal)).Split('\t')[1];

    [Test]
    public void AContainerDoesNotInheritRuncssAffinity()
    {
        using var b = new TestBundle("sh", "-c", Grep);
        b.Save();
        var r = Pinned(b, "run", "--bundle", b.Dir, b.Id);
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(AllowedList(r), Is.EqualTo(Online()), r.ToString());
    }

    [Test]
    public void TheResetStopsAtTheContainersCpuset()
    {
        using var b = new TestBundle("sh", "-c", Grep);
        b.Linux["resources"] = new JsonObject { ["cpu"] = new JsonObject { ["cpus"] = "1", ["mems"] = "0" } };
        b.Save();
        var r = Pinned(b, "run", "--bundle", b.Dir, b.Id);
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(AllowedList(r), Is.EqualTo("1"), "a cpuset without runcs's CPU: " + r);
    }

    [Test]
    public void AnExecWithoutExecCpuAffinityGetsEveryCpu()
    {
        using var b = new TestBundle("sleep", "300");
        b.Save();
        Assert.That(Pinned(b, "run", "-d", "--bundle", b.Dir, b.Id).ExitCode, Is.Zero);
        var r = Pinned(b, "exec", b.Id, "sh", "-c", Grep);
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(AllowedList(r), Is.EqualTo(Online()), r.ToString());
    }

    [TestCase("1", null, "1", "0x2")]
    [TestCase("0-1", null, "0-1", "0x3")]
    [TestCase("0", "1", "1", "0x1")]
    public void AnExecIsBornWithInitialAndEndsWithFinal(string initial, string? final, string expected, string bornWith)
    {
        using var b = new TestBundle("sleep", "300");
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        var affinity = new JsonObject { ["initial"] = initial };
        if (final is not null)
            affinity["final"] = final;
        var process = Path.Combine(b.Dir, "process.json");
        File.WriteAllText(process, new JsonObject
        {
            ["terminal"] = false, ["cwd"] = "/", ["args"] = new JsonArray("sh", "-c", Grep), ["execCPUAffinity"] = affinity,
        }.ToJsonString());
        var r = b.Runcs("--debug", "exec", "--process", process, b.Id);
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(AllowedList(r), Is.EqualTo(expected), r.ToString());
        Assert.That(r.Stderr, Does.Match(@"nsexec\[\d+\]: affinity: " + bornWith + @"\b"), "the affinity it was born with, in runc's debug words");
    }

    [Test]
    public void AnExecWithoutItsOwnTakesTheContainersExecCpuAffinity()
    {
        using var b = new TestBundle("sleep", "300");
        b.Process["execCPUAffinity"] = new JsonObject { ["initial"] = "0", ["final"] = "1" };
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        var r = b.Runcs("exec", b.Id, "sh", "-c", Grep);
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(AllowedList(r), Is.EqualTo("1"), r.ToString());
    }

    [Test]
    public void AMalformedCpuListNamesItsPath()
    {
        using var b = new TestBundle("sleep", "300");
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        var process = Path.Combine(b.Dir, "process.json");
        File.WriteAllText(process, """{"cwd": "/", "args": ["true"], "execCPUAffinity": {"initial": "1-x"}}""");
        var r = b.Runcs("exec", "--process", process, b.Id);
        Assert.That(r.ExitCode, Is.Not.Zero);
        Assert.That(r.Stderr.Trim(), Is.EqualTo("runcs: exec failed: process.execCPUAffinity.initial: invalid cpu list \"1-x\""));
    }
}
