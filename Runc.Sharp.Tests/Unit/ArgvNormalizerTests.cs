using System.CommandLine;
using NUnit.Framework;
using Runc.Sharp.Cli;
using Runc.Sharp.Cli.Commands;

namespace Runc.Sharp.Tests.Unit;

public class ArgvNormalizerTests
{
    private GlobalOptions _globals = null!;
    private IReadOnlyList<CommandDef> _commands = null!;

    [SetUp]
    public void SetUp()
    {
        _globals = new GlobalOptions();
        _commands = CommandTable.All();
    }

    private ArgvNormalizer.Result Normalize(params string[] argv) =>
        ArgvNormalizer.Normalize(argv, [.. _globals.All], () => _commands);

    private string[] Args(params string[] argv) => Normalize(argv).Args;

    /// <summary>Parses normalized args with CliApp's own root command and parser configuration.</summary>
    private ParseResult Parse(params string[] argv)
    {
        var root = CliApp.BuildRoot(_globals, _commands, forHelp: false);
        var parse = root.Parse(Args(argv), CliApp.ParserConfig);
        Assert.That(parse.Errors, Is.Empty, () => string.Join("; ", parse.Errors.Select(e => e.Message)));
        return parse;
    }

    private CommandDef Def(string name) => _commands.Single(c => c.Name == name);

    private static T? Option<T>(ParseResult parse, CommandDef def, string name) =>
        parse.GetValue((Option<T>)def.FindOption(name)!);

    [Test]
    public void GlobalFlagWithSeparateValue()
    {
        Assert.That(Args("--root", "/x", "state", "id"), Is.EqualTo(new[] { "--root", "/x", "state", "id" }));
        var parse = Parse("--root", "/x", "state", "id");
        Assert.That(parse.GetValue(_globals.Root), Is.EqualTo("/x"));
        Assert.That(parse.GetValue(Def("state").Positionals), Is.EqualTo(new[] { "id" }));
        Assert.That(Normalize("--root", "/x", "state", "id").Command, Is.SameAs(Def("state")));
    }

    [Test]
    public void GlobalFlagWithEquals()
    {
        Assert.That(Args("--root=/x", "list"), Is.EqualTo(new[] { "--root=/x", "list" }));
        Assert.That(Parse("--root=/x", "list").GetValue(_globals.Root), Is.EqualTo("/x"));
    }

    [Test]
    public void SingleDashLongFlag()
    {
        Assert.That(Args("-root", "/x", "list"), Is.EqualTo(new[] { "--root", "/x", "list" }));
        Assert.That(Args("-root=/x", "list"), Is.EqualTo(new[] { "--root=/x", "list" }));
        Assert.That(Parse("-root", "/x", "list").GetValue(_globals.Root), Is.EqualTo("/x"));
    }

    [Test]
    public void LogFormat()
    {
        var parse = Parse("--log-format=json", "--log", "/tmp/l", "list");
        Assert.That(parse.GetValue(_globals.LogFormat), Is.EqualTo("json"));
        Assert.That(parse.GetValue(_globals.Log), Is.EqualTo("/tmp/l"));
        Assert.That(Parse("list").GetValue(_globals.LogFormat), Is.EqualTo("text"));
    }

    [Test]
    public void IgnoredCriuFlagIsAccepted()
    {
        Assert.That(Args("--criu", "/usr/sbin/criu", "kill", "id", "9"),
            Is.EqualTo(new[] { "--criu", "/usr/sbin/criu", "kill", "id", "--", "9" }));
        var parse = Parse("--criu", "/usr/sbin/criu", "kill", "id", "9");
        Assert.That(parse.GetValue(Def("kill").Positionals), Is.EqualTo(new[] { "id", "9" }));
    }

    [Test]
    public void BoolFlagsGetAnExplicitValue()
    {
        Assert.That(Args("kill", "--all", "id", "9"), Is.EqualTo(new[] { "kill", "--all=true", "id", "--", "9" }));
        Assert.That(Args("kill", "-a", "id"), Is.EqualTo(new[] { "kill", "-a=true", "id", "--" }));
        Assert.That(Args("--debug", "list"), Is.EqualTo(new[] { "--debug=true", "list" }));
        Assert.That(Args("--systemd-cgroup=false", "list"), Is.EqualTo(new[] { "--systemd-cgroup=false", "list" }));
        var parse = Parse("kill", "--all", "id", "9");
        Assert.That(Option<bool>(parse, Def("kill"), "--all"), Is.True);
        Assert.That(parse.GetValue(Def("kill").Positionals), Is.EqualTo(new[] { "id", "9" }));
        Assert.That(Parse("--debug", "list").GetValue(_globals.Debug), Is.True);
    }

    [Test]
    public void ExecLeavesTheContainerCommandAlone()
    {
        Assert.That(Args("exec", "id", "sh", "-c", "echo hi"), Is.EqualTo(new[] { "exec", "id", "--", "sh", "-c", "echo hi" }));
        var parse = Parse("exec", "--tty", "--env", "A=1", "id", "sh", "-c", "echo hi");
        var exec = Def("exec");
        Assert.That(parse.GetValue(exec.Positionals), Is.EqualTo(new[] { "id", "sh", "-c", "echo hi" }));
        Assert.That(Option<string[]>(parse, exec, "--cap"), Is.Null.Or.Empty);
        Assert.That(Option<string[]>(parse, exec, "--env"), Is.EqualTo(new[] { "A=1" }));
        Assert.That(Option<bool>(parse, exec, "--tty"), Is.True);
    }

    [Test]
    public void ExistingDoubleDashIsKept()
    {
        Assert.That(Args("exec", "--", "id", "ls"), Is.EqualTo(new[] { "exec", "--", "id", "ls" }));
        Assert.That(Args("ps", "id", "-ef"), Is.EqualTo(new[] { "ps", "id", "--", "-ef" }));
    }

    [Test]
    public void GoStyleSingleDashBoolOnRestore()
    {
        Assert.That(Args("restore", "-no-subreaper", "--bundle", "b", "id"),
            Is.EqualTo(new[] { "restore", "--no-subreaper=true", "--bundle", "b", "id" }));
        var parse = Parse("restore", "-no-subreaper", "--bundle", "b", "id");
        var restore = Def("restore");
        Assert.That(Option<bool>(parse, restore, "--no-subreaper"), Is.True);
        Assert.That(Option<string>(parse, restore, "--bundle"), Is.EqualTo("b"));
        Assert.That(parse.GetValue(restore.Positionals), Is.EqualTo(new[] { "id" }));
    }

    [Test]
    public void DashAsAValue()
    {
        Assert.That(Args("update", "--resources=-", "id"), Is.EqualTo(new[] { "update", "--resources=-", "id" }));
        Assert.That(Args("update", "--resources", "-", "id"), Is.EqualTo(new[] { "update", "--resources", "-", "id" }));
        foreach (var argv in new[] { new[] { "update", "--resources=-", "id" }, new[] { "update", "--resources", "-", "id" } })
        {
            var parse = Parse(argv);
            Assert.That(Option<string>(parse, Def("update"), "--resources"), Is.EqualTo("-"));
            Assert.That(parse.GetValue(Def("update").Positionals), Is.EqualTo(new[] { "id" }));
        }
    }

    [Test]
    public void CommandFlagsWithEquals()
    {
        Assert.That(Option<string>(Parse("list", "--format=json"), Def("list"), "--format"), Is.EqualTo("json"));
        Assert.That(Option<string>(Parse("list", "-f", "json"), Def("list"), "--format"), Is.EqualTo("json"));
        Assert.That(Option<string>(Parse("list"), Def("list"), "--format"), Is.EqualTo("table"));
        var events = Parse("events", "--interval=5s", "id");
        Assert.That(Option<string>(events, Def("events"), "--interval"), Is.EqualTo("5s"));
        Assert.That(events.GetValue(Def("events").Positionals), Is.EqualTo(new[] { "id" }));
    }

    [Test]
    public void IntFlag()
    {
        var parse = Parse("create", "--preserve-fds", "3", "-b", "/bundle", "id");
        Assert.That(Option<int>(parse, Def("create"), "--preserve-fds"), Is.EqualTo(3));
        Assert.That(Option<string>(parse, Def("create"), "--bundle"), Is.EqualTo("/bundle"));
    }

    [Test]
    public void UnknownGlobalFlag()
    {
        var e = Assert.Throws<UsageException>(() => Normalize("--bogus", "list"))!;
        Assert.That(e.Message, Is.EqualTo("flag provided but not defined: --bogus"));
    }

    [Test]
    public void UnknownCommandFlag()
    {
        var e = Assert.Throws<UsageException>(() => Normalize("state", "--bogus", "id"))!;
        Assert.That(e.Message, Is.EqualTo("state: flag provided but not defined: --bogus"));
        // Global flags belong before the command, as in runc.
        Assert.Throws<UsageException>(() => Normalize("state", "--root", "/x", "id"));
    }

    [Test]
    public void UnknownCommand()
    {
        var e = Assert.Throws<UsageException>(() => Normalize("--root", "/x", "frobnicate", "id"))!;
        Assert.That(e.Message, Does.Contain("frobnicate"));
    }

    [Test]
    public void MissingFlagValue()
    {
        var e = Assert.Throws<UsageException>(() => Normalize("--root"))!;
        Assert.That(e.Message, Is.EqualTo("flag needs an argument: --root"));
        Assert.Throws<UsageException>(() => Normalize("update", "id", "--resources"));
    }

    [Test]
    public void VersionAndHelp()
    {
        Assert.That(Normalize("--version").VersionRequested, Is.True);
        Assert.That(Normalize("-v").VersionRequested, Is.True);
        Assert.That(Normalize("--help").Command, Is.Null);
        Assert.That(Args("list", "-h"), Is.EqualTo(new[] { "list", "--help" }));
        var none = Normalize();
        Assert.That((none.Args.Length, none.Command, none.VersionRequested), Is.EqualTo((0, (CommandDef?)null, false)));
    }

    [Test]
    public void RepeatedSingleValuedFlagKeepsTheLastValue()
    {
        Assert.That(Args("--log", "/a", "--log=/b", "--debug", "-debug", "list", "-q", "--quiet", "--format", "json", "--format", "table"),
            Is.EqualTo(new[] { "--log=/b", "--debug=true", "list", "--quiet=true", "--format", "table" }));
        var parse = Parse("--log", "/a", "--root", "/r1", "--log", "/b", "--root=/r2", "list", "--format", "json", "--format", "table");
        Assert.That(parse.GetValue(_globals.Log), Is.EqualTo("/b"));
        Assert.That(parse.GetValue(_globals.Root), Is.EqualTo("/r2"));
        Assert.That(Option<string>(parse, Def("list"), "--format"), Is.EqualTo("table"));
    }

    [Test]
    public void RepeatedListFlagKeepsEveryValue()
    {
        var parse = Parse("exec", "--env", "A=1", "-e", "B=2", "id", "sh");
        Assert.That(Option<string[]>(parse, Def("exec"), "--env"), Is.EqualTo(new[] { "A=1", "B=2" }));
    }

    [Test]
    public void EveryCommandIsReachable()
    {
        foreach (var def in _commands)
            Assert.That(Normalize(def.Name).Command, Is.SameAs(def), def.Name);
        Assert.That(_commands.Select(c => c.Name), Is.Unique);
    }
}
