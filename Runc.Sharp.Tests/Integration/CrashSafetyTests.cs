using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>
/// runcs SIGKILLed at every step boundary of create, start, run, exec and delete (the
/// fault-points build, RUNCS_FAULT_BINARY, kills itself where RUNCS_FAULT_KILL_AT says), then
/// `delete -f` by the normal binary: nothing may be left, no state dir, cgroup in any
/// hierarchy, mount or process. And the same at random moments, 200 times.
/// </summary>
[TestFixture]
[NonParallelizable]
public class CrashSafetyTests
{
    /// <summary>The container's process, told apart from every other process on the host.</summary>
    private const string Marker = "7771";

    private static readonly FaultPoint[] CreatePoints =
    [
        FaultPoint.DirMade, FaultPoint.Recorded, FaultPoint.CgroupsMade, FaultPoint.LimitsSet, FaultPoint.Cloned,
        FaultPoint.Released, FaultPoint.ConfigSent, FaultPoint.HooksRun, FaultPoint.Ready, FaultPoint.StateWritten,
        FaultPoint.Committed,
    ];

    private static readonly FaultPoint[] StartPoints = [FaultPoint.FifoOpened, FaultPoint.Started];
    private static readonly FaultPoint[] ExecPoints = [FaultPoint.Cloned, FaultPoint.Released, FaultPoint.ConfigSent, FaultPoint.Ready];
    private static readonly FaultPoint[] DeletePoints = [FaultPoint.Killed, FaultPoint.CgroupsRemoved];

    private static string FaultBinary
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("RUNCS_FAULT_BINARY");
            if (string.IsNullOrEmpty(path) || !File.Exists(path))
                Assert.Fail($"RUNCS_FAULT_BINARY ({path}) is missing: scripts/test.sh builds it with FAULT_POINTS=1 scripts/build.sh out-faults");
            return path!;
        }
    }

    /// <summary>A bundle with limits (cgroup files written) and a createRuntime hook (a hook step).</summary>
    private static TestBundle Bundle()
    {
        var b = new TestBundle("sleep", Marker);
        b.Linux["resources"]!["memory"] = new System.Text.Json.Nodes.JsonObject { ["limit"] = 64 * 1024 * 1024 };
        b.Linux["resources"]!["pids"] = new System.Text.Json.Nodes.JsonObject { ["limit"] = 32 };
        b.Config["hooks"] = new System.Text.Json.Nodes.JsonObject
        {
            ["createRuntime"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["path"] = "/bin/true" }),
        };
        b.Save();
        return b;
    }

    private static ProcResult Faulty(TestBundle b, FaultPoint point, params string[] args) =>
        Runcs.Exec(FaultBinary, ["--root", b.StateRoot, .. args], cwd: b.Dir,
            env: new Dictionary<string, string> { ["RUNCS_FAULT_KILL_AT"] = point.ToString() });

    private static IReadOnlyList<int> ContainerProcesses() =>
        Runcs.ProcessesWhose(c => c == $"sleep\0{Marker}\0");

    /// <summary>What is left of the container after <c>delete -f</c>, as one line per kind; empty when nothing.</summary>
    public static IReadOnlyList<string> Leftovers(TestBundle b, IReadOnlyCollection<int> initsBefore)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var left = new List<string>();
            if (Directory.Exists(Path.Combine(b.StateRoot, b.Id)))
                left.Add("state dir");
            left.AddRange(b.CgroupDirs().Select(d => "cgroup " + d));
            left.AddRange(Runcs.InitProcesses().Except(initsBefore).Select(p => $"runcs init pid {p}"));
            left.AddRange(ContainerProcesses().Select(p => $"container process pid {p}"));
            left.AddRange(File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4])
                .Where(m => m.StartsWith(b.Dir, StringComparison.Ordinal) || m.StartsWith(Runcs.Rootfs, StringComparison.Ordinal)).Select(m => "mount " + m));
            // Dying processes take a moment to go; anything else stays.
            if (left.Count == 0 || DateTime.UtcNow > deadline)
                return left;
            Thread.Sleep(20);
        }
    }

    private static void AssertDeleteLeavesNothing(TestBundle b, IReadOnlyCollection<int> initsBefore, string what)
    {
        var delete = b.Runcs("delete", "--force", b.Id);
        Assert.That(delete.ExitCode, Is.Zero.Or.EqualTo(1), $"{what}: delete -f: {delete}");
        if (delete.ExitCode == 1)
            Assert.That(delete.Stderr, Is.EqualTo("runcs: container does not exist\n"), what);
        Assert.That(Leftovers(b, initsBefore), Is.Empty, what);
    }

    [TestCaseSource(nameof(CreatePoints))]
    public void CreateKilledAtAStep(FaultPoint point)
    {
        using var b = Bundle();
        var before = Runcs.InitProcesses();
        var r = Faulty(b, point, "create", "--bundle", b.Dir, b.Id);
        Assert.That(r.ExitCode, Is.EqualTo(137), $"create was to be killed at {point}: {r}");
        if (point != FaultPoint.DirMade)
        {
            var list = b.Runcs("list", "--format", "json");
            Assert.That(list.ExitCode, Is.Zero, list.ToString());
            // Once the created state is written, the init dies by itself unless it was handed over.
            var expected = point switch
            {
                FaultPoint.Committed => new[] { "created" },
                FaultPoint.StateWritten => ["created", "stopped"],
                _ => ["creating"],
            };
            Assert.That(expected.Any(s => list.Stdout.Contains($"\"status\":\"{s}\"")) && list.Stdout.Contains($"\"id\":\"{b.Id}\""), Is.True,
                $"list after create killed at {point}: {list.Stdout}");
        }
        AssertDeleteLeavesNothing(b, before, $"create killed at {point}");
    }

    [TestCase(FaultPoint.Ready)]
    [TestCase(FaultPoint.StateWritten)]
    public void CreateWithoutAMountNamespaceKilledLeavesNoHostMount(FaultPoint point)
    {
        using var b = Bundle();
        b.Linux["namespaces"] = new System.Text.Json.Nodes.JsonArray(b.Linux["namespaces"]!.AsArray()
            .Where(n => n!["type"]!.GetValue<string>() != "mount").Select(n => n!.DeepClone()).ToArray());
        b.Save();
        var before = Runcs.InitProcesses();
        var r = Faulty(b, point, "create", "--bundle", b.Dir, b.Id);
        Assert.That(r.ExitCode, Is.EqualTo(137), $"create was to be killed at {point}: {r}");
        Assert.That(File.ReadAllText("/proc/self/mountinfo"), Does.Contain(" " + Runcs.Rootfs + "/proc "), "the container's mounts are in the host's table");
        AssertDeleteLeavesNothing(b, before, $"create without a mount namespace killed at {point}");
    }

    [TestCaseSource(nameof(CreatePoints))]
    public void RunKilledAtACreateStep(FaultPoint point)
    {
        using var b = Bundle();
        var before = Runcs.InitProcesses();
        var r = Faulty(b, point, "run", "--bundle", b.Dir, b.Id);
        Assert.That(r.ExitCode, Is.EqualTo(137), $"run was to be killed at {point}: {r}");
        AssertDeleteLeavesNothing(b, before, $"run killed at {point}");
    }

    [TestCaseSource(nameof(StartPoints))]
    public void StartKilledAtAStep(FaultPoint point)
    {
        using var b = Bundle();
        var before = Runcs.InitProcesses();
        Assert.That(b.Create().ExitCode, Is.Zero);
        var r = Faulty(b, point, "start", b.Id);
        Assert.That(r.ExitCode, Is.EqualTo(137), $"start was to be killed at {point}: {r}");
        Assert.That(b.Status(), Is.AnyOf("created", "running", "stopped"));
        AssertDeleteLeavesNothing(b, before, $"start killed at {point}");
    }

    [TestCaseSource(nameof(ExecPoints))]
    public void ExecKilledAtAStep(FaultPoint point)
    {
        using var b = Bundle();
        var before = Runcs.InitProcesses();
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        var r = Faulty(b, point, "exec", b.Id, "sleep", Marker);
        Assert.That(r.ExitCode, Is.EqualTo(137), $"exec was to be killed at {point}: {r}");
        Assert.That(b.Status(), Is.EqualTo("running"), "a killed exec leaves the container as it was");
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (Runcs.InitProcesses().Except(before).Any() && DateTime.UtcNow < deadline)
            Thread.Sleep(20);
        Assert.That(Runcs.InitProcesses().Except(before), Is.Empty, "no exec init outlives its runcs exec before the handover");
        AssertDeleteLeavesNothing(b, before, $"exec killed at {point}");
    }

    [TestCaseSource(nameof(DeletePoints))]
    public void DeleteKilledAtAStep(FaultPoint point)
    {
        using var b = Bundle();
        var before = Runcs.InitProcesses();
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        var r = Faulty(b, point, "delete", "--force", b.Id);
        Assert.That(r.ExitCode, Is.EqualTo(137), $"delete was to be killed at {point}: {r}");
        AssertDeleteLeavesNothing(b, before, $"delete killed at {point}");
    }

    [Test]
    public void TwoHundredCreatesKilledAtRandomMoments()
    {
        var random = new Random(Environment.ProcessId);
        var before = Runcs.InitProcesses();
        var leftovers = new Dictionary<string, int>();
        for (int i = 0; i < 200; i++)
        {
            using var b = Bundle();
            var psi = new System.Diagnostics.ProcessStartInfo(Runcs.Binary)
            {
                ArgumentList = { "--root", b.StateRoot, "create", "--bundle", b.Dir, b.Id },
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            using (var create = System.Diagnostics.Process.Start(psi)!)
            {
                Thread.Sleep(random.Next(0, 26));
                create.Kill();
                create.WaitForExit();
            }
            b.Runcs("delete", "--force", b.Id);
            foreach (var kind in Leftovers(b, before).Select(l => l.Split(' ')[0]))
                leftovers[kind] = leftovers.GetValueOrDefault(kind) + 1;
        }
        TestContext.Out.WriteLine("leftovers after 200 random kills: " +
            (leftovers.Count == 0 ? "none" : string.Join(", ", leftovers.Select(kv => $"{kv.Key} {kv.Value}"))));
        Assert.That(leftovers, Is.Empty);
    }
}
