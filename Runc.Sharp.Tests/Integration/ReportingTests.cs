using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>
/// Failures that happen where the user cannot see them (in the init, after Ready, in the
/// kernel) reach the command that started them as one line, with runc's words where tools
/// match on them; --debug shows the steps.
/// </summary>
[TestFixture]
[NonParallelizable]
public class ReportingTests
{
    /// <summary>A file in the bundle bound onto /run.sh: a script whose interpreter does not exist.</summary>
    private static void BadInterpreter(TestBundle b)
    {
        var script = Path.Combine(b.Dir, "run.sh");
        File.WriteAllText(script, "#!/mmnnttbb foo bar\nsh\n");
        File.SetUnixFileMode(script, (UnixFileMode)0x1ED);
        b.Config["mounts"]!.AsArray().Add(TestBundle.Mount("/run.sh", "bind", script, "bind", "ro"));
        b.Process["args"] = new JsonArray("/run.sh");
    }

    [Test]
    public void AnExecveFailureAfterStartIsTheContainersErrorUnderRun()
    {
        // runc's suite, run.bats "run [execve error]": exactly that one line, exit 255.
        using var b = new TestBundle();
        BadInterpreter(b);
        var before = Runcs.InitProcesses();
        Assert.That(b.Run(), Is.EqualTo(new ProcResult(255, "", "exec /run.sh: no such file or directory\n")));
        b.AssertNothingLeft(before);
    }

    [Test]
    public void AnExecveFailureFailsStartAndTheContainerEndsStopped()
    {
        using var b = new TestBundle();
        BadInterpreter(b);
        Assert.That(b.Create().ExitCode, Is.Zero);
        Assert.That(b.Runcs("start", b.Id), Is.EqualTo(new ProcResult(1, "", "runcs: start failed: exec /run.sh: no such file or directory\n")));
        LifecycleTests.WaitFor(() => b.Status() == "stopped");
    }

    [Test]
    public void AFailingStartContainerHookFailsStartWithItsError()
    {
        using var b = new TestBundle("true");
        b.Config["hooks"] = new JsonObject { ["startContainer"] = new JsonArray(new JsonObject { ["path"] = "/bin/true" }, new JsonObject { ["path"] = "/bin/false" }) };
        Assert.That(b.Create().ExitCode, Is.Zero);
        Assert.That(b.Runcs("start", b.Id), Is.EqualTo(new ProcResult(1, "", "runcs: start failed: error running startContainer hook #1: /bin/false: exit status 1\n")));
        LifecycleTests.WaitFor(() => b.Status() == "stopped");
    }

    [Test]
    public void StartContainerHooksInheritTheProcessEnvironment()
    {
        // runc's suite, hooks.bats "startContainer hook should inherit process environment".
        using var b = new TestBundle("true");
        b.Process["env"] = new JsonArray("ONE=two", "PATH=/bin");
        b.Config["hooks"] = new JsonObject
        {
            ["startContainer"] = new JsonArray(new JsonObject { ["path"] = "/bin/sh", ["args"] = new JsonArray("sh", "-euc", "test \"$ONE\" = two; test -n \"$HOME\"") }),
        };
        Assert.That(b.Run(), Is.EqualTo(new ProcResult(0, "", "")));
    }

    [Test]
    public void AMemoryLimitBelowWhatTheInitNeedsIsNamed()
    {
        using var b = new TestBundle("true");
        b.Linux["resources"]!["memory"] = new JsonObject { ["limit"] = 100 };
        var before = Runcs.InitProcesses();
        var r = b.Run();
        Assert.That(r.ExitCode, Is.EqualTo(1), r.ToString());
        Assert.That(r.Stderr, Does.Match(@"^runcs: run failed: unable to set memory limit to 100 \(current usage: \d+, peak usage: \d+\): " +
            @"the container's init was OOM-killed during setup \(linux\.resources\.memory\.limit\)\n$"));
        b.AssertNothingLeft(before);
    }

    [Test]
    public void DebugShowsTheStepsOnStderrOrInTheLog()
    {
        using var b = new TestBundle("true");
        var r = b.Runcs("--debug", "run", "--bundle", b.Dir, b.Id);
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        foreach (var step in new[] { "nsexec container setup", "child process in init()", "init: closing the pipe to signal completion" })
            Assert.That(r.Stderr, Does.Contain($"level=debug msg=\"{step}"), step);

        var log = Path.Combine(b.Dir, "log.json");
        r = b.Runcs("--debug", "--log", log, "--log-format", "json", "run", "--bundle", b.Dir, b.Id);
        Assert.That(r, Is.EqualTo(new ProcResult(0, "", "")), "with --log, nothing on stderr");
        var lines = File.ReadAllLines(log).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.That(lines.Select(l => l["level"]!.GetValue<string>()), Has.All.EqualTo("debug"));
        Assert.That(lines.Select(l => l["msg"]!.GetValue<string>()), Has.Some.StartsWith("child process in init()"));
    }

    [Test]
    public void DebugOfExecShowsItsSteps()
    {
        using var b = new TestBundle("sleep", "300");
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        var r = b.Runcs("--debug", "exec", b.Id, "true");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(r.Stderr, Does.Contain("nsexec container setup").And.Contain("setns_init: about to exec"));
    }

    [Test]
    public void EveryCommandCreatesItsLogFile()
    {
        using var b = new TestBundle("true");
        var log = Path.Combine(b.Dir, "state.log");
        Directory.CreateDirectory(b.StateRoot);
        Assert.That(b.Runcs("--log", log, "list").ExitCode, Is.Zero);
        Assert.That(File.Exists(log), Is.True, "runc opens --log whatever the command");
    }
}
