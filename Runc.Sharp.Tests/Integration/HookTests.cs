using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>All six hooks: order, where they run, the state they read on stdin, failures.</summary>
[TestFixture]
[NonParallelizable]
public class HookTests
{
    private readonly List<string> _mountpoints = [];

    /// <summary>The log's bind mount made its destination in the shared rootfs, as runc does; the next test must not find it.</summary>
    [TearDown]
    public void RemoveMountpoints()
    {
        foreach (var dir in _mountpoints.Where(Directory.Exists))
            Directory.Delete(dir);
        _mountpoints.Clear();
    }

    private static JsonObject Hook(string log, string phase, int? timeout = null, string extra = "") => new()
    {
        ["path"] = "/bin/sh",
        ["args"] = new JsonArray("sh", "-c", $"cat > {log}/{phase}.json; echo {phase} >> {log}/order; {extra}"),
        ["env"] = new JsonArray("PATH=/bin:/usr/bin", "HOOKVAR=set"),
        ["timeout"] = timeout,
    };

    private TestBundle WithHooks(string log, params string[] phases)
    {
        _mountpoints.Add(Path.Combine(Runcs.Rootfs, log.TrimStart('/')));
        var b = new TestBundle("sh", "-c", $"echo process >> {log}/order");
        var hooks = new JsonObject();
        foreach (var p in phases)
            hooks[p] = new JsonArray(Hook(log, p));
        b.Config["hooks"] = hooks;
        b.Config["mounts"]!.AsArray().Add(new JsonObject
        {
            ["destination"] = log, ["type"] = "bind", ["source"] = log, ["options"] = new JsonArray("rbind", "rw"),
        });
        return b;
    }

    [Test]
    public void AllSixRunInSpecOrderWithTheStateOnStdin()
    {
        using var log = new TempDir();
        using var b = WithHooks(log.Path, "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop");
        Assert.That(b.Create().ExitCode, Is.Zero);
        Assert.That(File.ReadAllLines(Path.Combine(log.Path, "order")), Is.EqualTo(new[] { "prestart", "createRuntime", "createContainer" }),
            "create runs the first three hooks and nothing else");
        var pid = b.State()["pid"]!.GetValue<int>();
        Assert.That(b.Runcs("start", b.Id).ExitCode, Is.Zero);
        LifecycleTests.WaitFor(() => b.Status() == "stopped");
        Assert.That(b.Runcs("delete", b.Id).ExitCode, Is.Zero);
        Assert.That(File.ReadAllLines(Path.Combine(log.Path, "order")), Is.EqualTo(new[]
        {
            "prestart", "createRuntime", "createContainer", "startContainer", "process", "poststart", "poststop",
        }).Or.EqualTo(new[]
        {
            "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "process", "poststop",
        }));
        foreach (var (phase, status) in new[] { ("prestart", "created"), ("createRuntime", "created"), ("createContainer", "created"),
                     ("startContainer", "created"), ("poststart", "running"), ("poststop", "stopped") })
        {
            var state = JsonNode.Parse(File.ReadAllText(Path.Combine(log.Path, phase + ".json")))!;
            Assert.That(state["id"]!.GetValue<string>(), Is.EqualTo(b.Id), phase);
            Assert.That(state["bundle"]!.GetValue<string>(), Is.EqualTo(b.Dir), phase);
            Assert.That(state["status"]!.GetValue<string>(), Is.EqualTo(status), phase);
            if (phase != "poststop")
                Assert.That(state["pid"]!.GetValue<int>(), Is.EqualTo(pid), phase);
        }
    }

    [Test]
    public void HooksGetOnlyTheirOwnEnvironment()
    {
        using var log = new TempDir();
        using var b = new TestBundle("true");
        b.Config["hooks"] = new JsonObject
        {
            ["prestart"] = new JsonArray(new JsonObject
            {
                ["path"] = "/bin/sh",
                ["args"] = new JsonArray("sh", "-c", $"env | sort > {log.Path}/env"),
                ["env"] = new JsonArray("ONLY=this"),
            }),
        };
        Assert.That(b.Run().ExitCode, Is.Zero);
        var env = File.ReadAllLines(Path.Combine(log.Path, "env"));
        Assert.That(env, Does.Contain("ONLY=this"));
        Assert.That(env.Any(l => l.StartsWith("RUNCS_", StringComparison.Ordinal)), Is.False);
    }

    [Test]
    public void HookGetsItsArgsZeroAndDefaultSignalHandling()
    {
        using var log = new TempDir();
        using var b = new TestBundle("true");
        b.Config["hooks"] = new JsonObject
        {
            ["prestart"] = new JsonArray(new JsonObject
            {
                ["path"] = "/bin/sh",
                ["args"] = new JsonArray("libnetwork-setkey", "-c", $"echo \"$0\" > {log.Path}/argv0; grep -E '^Sig(Ign|Blk)' /proc/self/status > {log.Path}/signals"),
            }),
        };
        Assert.That(b.Run().ExitCode, Is.Zero);
        Assert.That(File.ReadAllText(Path.Combine(log.Path, "argv0")).Trim(), Is.EqualTo("libnetwork-setkey"),
            "dockerd's hook is /proc/PID/exe and dispatches on argv[0]");
        var signals = File.ReadAllLines(Path.Combine(log.Path, "signals")).ToDictionary(l => l.Split(':')[0], l => Convert.ToUInt64(l.Split('\t')[1], 16));
        Assert.That((signals["SigIgn"] & (1UL << 12), signals["SigBlk"]), Is.EqualTo((0UL, 0UL)),
            "a hook must not inherit the runtime's ignored SIGPIPE or its blocked signals");
    }

    [Test]
    public void HooksWorkWhereRuncsDo()
    {
        // runc works from the bundle during create, and runs createContainer from the rootfs (hooks_so.bats relies on it).
        using var log = new TempDir();
        using var b = WithHooks(log.Path);
        JsonObject Pwd(string phase) => new()
        {
            ["path"] = "/bin/sh",
            ["args"] = new JsonArray("sh", "-c", $"pwd > {log.Path}/{phase}.cwd"),
        };
        b.Config["hooks"] = new JsonObject
        {
            ["prestart"] = new JsonArray(Pwd("prestart")),
            ["createRuntime"] = new JsonArray(Pwd("createRuntime")),
            ["createContainer"] = new JsonArray(Pwd("createContainer")),
        };
        Assert.That(b.Run().ExitCode, Is.Zero);
        Assert.That(File.ReadAllText(Path.Combine(log.Path, "prestart.cwd")).Trim(), Is.EqualTo(b.Dir));
        Assert.That(File.ReadAllText(Path.Combine(log.Path, "createRuntime.cwd")).Trim(), Is.EqualTo(b.Dir));
        Assert.That(File.ReadAllText(Path.Combine(log.Path, "createContainer.cwd")).Trim(), Is.EqualTo(Runcs.Rootfs));
    }

    [Test]
    public void FailingPrestartFailsCreateAndLeavesNothing()
    {
        using var log = new TempDir();
        using var b = new TestBundle("true");
        b.Config["hooks"] = new JsonObject { ["prestart"] = new JsonArray(Hook(log.Path, "prestart", extra: "exit 3")) };
        var before = Runcs.InitProcesses();
        var r = b.Create();
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.Contain("prestart hook #0").And.Contain("exit status 3"));
        b.AssertNothingLeft(before);
    }

    [Test]
    public void HookTimeoutKillsTheHookAndFailsCreate()
    {
        using var log = new TempDir();
        using var b = new TestBundle("true");
        b.Config["hooks"] = new JsonObject { ["createRuntime"] = new JsonArray(Hook(log.Path, "createRuntime", timeout: 1, extra: "sleep 30")) };
        var before = Runcs.InitProcesses();
        var started = DateTime.UtcNow;
        var r = b.Create();
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.Contain("timed out"));
        Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(20)));
        b.AssertNothingLeft(before);
    }

    /// <summary>
    /// runtime-spec 1.3, runc's next release: poststart runs once the user's process has
    /// started (the pid in its state already runs the container's program, not runcs init), and
    /// a failing poststart fails `start` with its error; the container is killed and ends stopped.
    /// </summary>
    [TestCase(0)]
    [TestCase(3)]
    public void PoststartRunsAfterTheProcessStartedAndItsFailureFailsStart(int exit)
    {
        using var log = new TempDir();
        using var b = new TestBundle("sleep", "300");
        var seen = Path.Combine(log.Path, "cmdline");
        b.Config["hooks"] = new JsonObject
        {
            ["poststart"] = new JsonArray(Hook(log.Path, "poststart",
                extra: $"pid=$(grep -o '\"pid\": *[0-9]*' {log.Path}/poststart.json | grep -o '[0-9]*$'); xargs -0 echo < /proc/$pid/cmdline > {seen}; exit {exit}")),
        };
        Assert.That(b.Create().ExitCode, Is.Zero);
        var r = b.Runcs("start", b.Id);
        Assert.That(File.ReadAllText(seen).Trim(), Is.EqualTo("sleep 300"), "the hook saw the container's program running");
        if (exit == 0)
        {
            Assert.That(r.ExitCode, Is.Zero, r.ToString());
            Assert.That(b.Status(), Is.EqualTo("running"));
            return;
        }
        Assert.That(r.ExitCode, Is.EqualTo(1), r.ToString());
        Assert.That(r.Stderr, Does.Contain("poststart hook #0").And.Contain("exit status 3"), r.ToString());
        LifecycleTests.WaitFor(() => b.Status() == "stopped");
    }

    [Test]
    public void FailingPoststopIsOnlyAWarning()
    {
        using var log = new TempDir();
        using var b = new TestBundle("true");
        b.Config["hooks"] = new JsonObject { ["poststop"] = new JsonArray(Hook(log.Path, "poststop", extra: "exit 1"), Hook(log.Path, "poststop2")) };
        Assert.That(b.Run("--keep").ExitCode, Is.Zero);
        var d = b.Runcs("delete", b.Id);
        Assert.That(d.ExitCode, Is.Zero, d.ToString());
        Assert.That(d.Stderr, Does.Contain("warning"));
        Assert.That(File.ReadAllLines(Path.Combine(log.Path, "order")), Is.EqualTo(new[] { "poststop", "poststop2" }), "the remaining hooks still run");
    }
}
