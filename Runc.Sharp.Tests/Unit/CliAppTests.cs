using System.Text.Json;
using NUnit.Framework;
using Runc.Sharp.Cli;
using Runc.Sharp.Lifecycle;

namespace Runc.Sharp.Tests.Unit;

/// <summary>CliApp.Run in-process, only with commands that read state and start nothing.</summary>
public class CliAppTests
{
    private string _root = "";

    [SetUp]
    public void SetUp()
    {
        _root = Path.Combine(Path.GetTempPath(), "runcs-unit-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] argv)
    {
        var (stdout, stderr) = (Console.Out, Console.Error);
        using var o = new StringWriter();
        using var e = new StringWriter();
        Console.SetOut(o);
        Console.SetError(e);
        try
        {
            var code = CliApp.Run(argv);
            return (code, o.ToString(), e.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }

    // A container whose init is gone: every query reports it stopped, nothing can be signalled.
    private void AddStopped(string id)
    {
        var store = new StateStore(_root);
        using var l = store.CreateLocked(id);
        store.Write(l, StateStoreTests.State(id, pid: 0) with { CgroupPaths = null });
    }

    [Test]
    public void ListJsonOfEmptyRootIsNull()
    {
        var (code, stdout, stderr) = Run("--root", _root, "list", "--format=json");
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stdout, Is.EqualTo("null\n"));
    }

    [Test]
    public void ListJsonShowsStoppedContainers()
    {
        AddStopped("b");
        AddStopped("a");
        var (code, stdout, stderr) = Run("--root", _root, "list", "--format", "json");
        Assert.That(code, Is.EqualTo(0), stderr);
        using var doc = JsonDocument.Parse(stdout);
        var items = doc.RootElement.EnumerateArray().ToList();
        Assert.That(items.Select(i => i.GetProperty("id").GetString()), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(items[0].GetProperty("status").GetString(), Is.EqualTo("stopped"));
        Assert.That(items[0].GetProperty("pid").GetInt32(), Is.EqualTo(0));
        Assert.That(items[0].GetProperty("owner").GetString(), Is.EqualTo(Environment.UserName), "the owner of the state directory");
    }

    [Test]
    public void ListTableAndQuiet()
    {
        AddStopped("c1");
        var (code, table, _) = Run("--root", _root, "list");
        Assert.That(code, Is.EqualTo(0));
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Does.StartWith("ID          PID         STATUS      BUNDLE      CREATED"));
        Assert.That(lines[1], Does.StartWith("c1          0           stopped     /bundle     2024-05-06T07:08:09.1234567Z   "));
        Assert.That(Run("--root", _root, "list", "-q").Out, Is.EqualTo("c1\n"));
    }

    [Test]
    public void StatePrintsTheOciState()
    {
        AddStopped("c1");
        var (code, stdout, stderr) = Run("--root", _root, "state", "c1");
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stdout, Does.StartWith("{\n  \"ociVersion\": \"1.3.0\",\n  \"id\": \"c1\",\n  \"pid\": 0,\n  \"status\": \"stopped\","));
        Assert.That(stdout, Does.EndWith("}"), "runc prints no trailing newline");
    }

    [Test]
    public void StateOfMissingContainer()
    {
        var (code, stdout, stderr) = Run("--root", _root, "state", "nope");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Is.EqualTo("runcs: container does not exist\n"));
    }

    [Test]
    public void ErrorsGoToTheJsonLog()
    {
        var log = Path.Combine(_root, "log.json");
        Assert.That(Run("--log", log, "--log-format", "json", "--root", _root, "state", "nope").Code, Is.EqualTo(1));
        using var doc = JsonDocument.Parse(File.ReadAllText(log));
        Assert.That(doc.RootElement.GetProperty("level").GetString(), Is.EqualTo("error"));
        Assert.That(doc.RootElement.GetProperty("msg").GetString(), Is.EqualTo("container does not exist"));
    }

    [Test]
    public void KillOfAStoppedContainer()
    {
        AddStopped("c1");
        Assert.That(Run("--root", _root, "kill", "c1", "KILL").Err, Is.EqualTo("runcs: container not running\n"));
        Assert.That(Run("--root", _root, "kill", "--all", "c1", "KILL").Code, Is.EqualTo(0));
    }

    [Test]
    public void KillWithABadSignalIsAUserError()
    {
        AddStopped("c1");
        Assert.That(Run("--root", _root, "kill", "c1", "SIGFOO"), Is.EqualTo((1, "", "runcs: unknown signal \"SIGFOO\"\n")));
        Assert.That(Run("--root", _root, "kill", "c1", "RTMIN+X"), Is.EqualTo((1, "", "runcs: unknown signal \"RTMIN+X\"\n")));
    }

    [Test]
    public void ExplicitRootMustExist()
    {
        var (code, _, stderr) = Run("--root", Path.Combine(_root, "missing"), "list");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain("no such file or directory"));
    }

    [TestCase(new[] { "--bogus", "list" }, "runcs: flag provided but not defined: --bogus\n")]
    [TestCase(new[] { "--log-format=xml", "list" }, "runcs: invalid log-format: xml\n")]
    [TestCase(new[] { "--root", "/", "list" }, "runcs: Option --root argument should not be set to /\n")]
    [TestCase(new[] { "--rootless=maybe", "list" }, "runcs: invalid --rootless value: maybe (true, false or auto)\n")]
    [TestCase(new[] { "list", "--format=yaml" }, "runcs: invalid format option: yaml\n")]
    public void UsageErrors(string[] argv, string stderr)
    {
        var result = Run(argv);
        Assert.That((result.Code, result.Err), Is.EqualTo((1, stderr)));
    }

    [Test]
    public void WrongArgumentCountPrintsIncorrectUsage()
    {
        var (code, stdout, stderr) = Run("--root", _root, "state");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stdout, Does.StartWith("Incorrect Usage."));
        Assert.That(stderr, Is.EqualTo("runcs: \"state\" requires exactly 1 argument(s)\n"));
        Assert.That(Run("--root", _root, "kill", "a", "b", "c").Err, Is.EqualTo("runcs: \"kill\" requires a maximum of 2 argument(s)\n"));
    }

    [Test]
    public void Version()
    {
        var (code, stdout, _) = Run("--version");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Does.Contain("spec: 1.3.0"));
    }
}
