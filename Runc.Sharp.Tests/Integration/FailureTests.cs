using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>
/// A failure injected at each setup step: create fails with one line naming the config
/// element, and leaves no state dir, cgroup, mount or process behind.
/// </summary>
[TestFixture]
[NonParallelizable]
public class FailureTests
{
    public record Case(string Name, Action<TestBundle> Break, string Expect)
    {
        public override string ToString() => Name;
    }

    private static JsonObject TmpfsAt(string destination, string type = "tmpfs") => new()
    {
        ["destination"] = destination, ["type"] = type, ["source"] = "none", ["options"] = new JsonArray(),
    };

    public static IEnumerable<Case> Cases() =>
    [
        new("missing rootfs", b => b.Config["root"]!["path"] = "/nonexistent/rootfs", "root.path"),
        new("unknown filesystem type", b => b.Config["mounts"]!.AsArray().Add(TmpfsAt("/x", "nosuchfs")), "mounts[7]"),
        new("missing bind source", b => b.Config["mounts"]!.AsArray().Add(new JsonObject
        {
            ["destination"] = "/x", ["type"] = "bind", ["source"] = "/nonexistent/source", ["options"] = new JsonArray("bind"),
        }), "mounts[7]"),
        new("device under a file", b => b.Linux["devices"] = new JsonArray(new JsonObject
        {
            ["path"] = "/dev/null/sub", ["type"] = "c", ["major"] = 1, ["minor"] = 3,
        }), "/dev/null"),
        new("unknown sysctl", b => b.Linux["sysctl"] = new JsonObject { ["kernel.no_such_knob"] = "1" }, "linux.sysctl.kernel.no_such_knob"),
        new("missing cwd", b => b.Process["cwd"] = "/no/such/dir", "process.cwd"),
        new("missing executable", b => b.Process["args"] = new JsonArray("/bin/nonexistent"), "exec"),
        new("namespace path that does not exist", b => b.Linux["namespaces"]!.AsArray().Add(new JsonObject
        {
            ["type"] = "ipc", ["path"] = "/proc/999999999/ns/ipc",
        }) , "linux.namespaces"),
        new("oom score below what this host allows", b => b.Process["oomScoreAdj"] = -1000, "oom_score_adj"),
        // This host has no resctrl: the whole intelRdt side that can run here is this refusal (ResctrlGroupTests has the writes).
        new("intelRdt without resctrl", b => b.Linux["intelRdt"] = new JsonObject { ["closID"] = "c", ["schemata"] = new JsonArray("L3:0=f") },
            "linux.intelRdt: Intel RDT is not available on this host (no resctrl filesystem is mounted)"),
        new("memory policy node that is not online", b => b.Linux["memoryPolicy"] = new JsonObject { ["mode"] = "MPOL_BIND", ["nodes"] = "5" },
            "linux.memoryPolicy.nodes: node 5 is not online"),
    ];

    [TestCaseSource(nameof(Cases))]
    public void CreateFailsCleanly(Case c)
    {
        using var b = new TestBundle("true");
        if (c.Name == "namespace path that does not exist")
            b.Linux["namespaces"] = new JsonArray(b.Linux["namespaces"]!.AsArray().Where(n => n!["type"]!.GetValue<string>() != "ipc").Select(n => n!.DeepClone()).ToArray());
        c.Break(b);
        var before = Runcs.InitProcesses();
        var r = b.Create();
        Assert.That(r.ExitCode, Is.EqualTo(1), r.ToString());
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), "exactly one error line: " + r.Stderr);
        Assert.That(lines[0], Does.StartWith("runcs: ").And.Contain(c.Expect));
        b.AssertNothingLeft(before);
    }

    [Test]
    public void AFailureWithStderrClosedStillExitsOneAndLogsTheError()
    {
        using var b = new TestBundle("true");
        b.Process["oomScoreAdj"] = -1000;
        b.Save();
        var log = Path.Combine(b.Dir, "log.json");
        var before = Runcs.InitProcesses();
        var r = Runcs.Exec("/bin/sh", ["-c", "\"$@\" 2>&-", "sh", Runcs.Binary, "--root", b.StateRoot, "--log", log, "--log-format", "json",
            "create", "--bundle", b.Dir, b.Id]);
        Assert.That(r.ExitCode, Is.EqualTo(1), $"a shim may start runcs without stderr; it must fail, not abort: {r}");
        Assert.That(File.ReadAllText(log), Does.Contain("\"level\":\"error\"").And.Contain("oom_score_adj"));
        b.AssertNothingLeft(before);
    }
}
