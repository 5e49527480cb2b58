using NUnit.Framework;
using Runc.Sharp.Cli;
using Runc.Sharp.Cli.Commands;

namespace Runc.Sharp.Tests.Unit.Fuzz;

/// <summary>
/// runc's command line under random argv for a bounded time: CliApp.Run returns an exit
/// code for every input, never throws and never hangs. Every run is confined to a temp
/// dir (its --root, its cwd, its bundles and logs), so no input can touch real containers.
/// </summary>
[TestFixture]
[NonParallelizable]
public class CliFuzzTests
{
    private static readonly string[] Values =
        ["", "x", "-", "--", "=", "-1", "0", "9", "99999999999999999999", "1.5", "KILL", "SIGFOO", "15", "true", "false", "auto",
         "json", "table", "text", "yaml", "a/b", "ünï", "@id", "id with space", new string('a', 5000), "-x=y", "--=", "1s", "-5ms"];

    [Test]
    public void EveryArgvGetsAnExitCode()
    {
        var budget = FuzzBudget.Start(inputs: 60_000);
        var random = budget.Random;
        var dir = Directory.CreateTempSubdirectory("runcs-clifuzz-").FullName;
        var (cwd, stdout, stderr) = (Environment.CurrentDirectory, Console.Out, Console.Error);
        var tokens = Tokens(dir);
        var codes = new HashSet<int>();
        try
        {
            Environment.CurrentDirectory = dir;
            Console.SetOut(TextWriter.Null);
            Console.SetError(TextWriter.Null);
            while (budget.Next())
            {
                var argv = new List<string> { "--root", Path.Combine(dir, "root") };
                for (int n = random.Next(0, 8); n > 0; n--)
                    argv.Add(tokens[random.Next(tokens.Count)]);
                var outcome = FuzzBudget.WithinLimit<object>(() => Outcome([.. argv]), TimeSpan.FromSeconds(10), () => string.Join(' ', argv));
                if (outcome is Exception e)
                    Assert.Fail($"argv [{string.Join(", ", argv.Select(a => $"\"{a}\""))}] threw {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
                codes.Add((int)outcome);
            }
        }
        finally
        {
            Environment.CurrentDirectory = cwd;
            Console.SetOut(stdout);
            Console.SetError(stderr);
            Directory.Delete(dir, recursive: true);
        }
        TestContext.Out.WriteLine($"{budget.Inputs} argv, exit codes seen: {string.Join(' ', codes.Order())}");
        Assert.That(budget.Inputs, Is.GreaterThan(100), "the fuzzer must have run");
        Assert.That(codes, Does.Contain(0).And.Contain(1), "both successes and failures must occur, or the inputs exercise nothing");
    }

    private static object Outcome(string[] argv)
    {
        try
        {
            return CliApp.Run(argv);
        }
        catch (Exception e)
        {
            return e;
        }
    }

    /// <summary>
    /// Every command name, every flag name (global and per command, except --root), and
    /// values. Every path names a place in <paramref name="dir"/>, even the ones with ".."
    /// or a trailing "/": `spec --bundle /` would write the host's /config.json.
    /// </summary>
    private static List<string> Tokens(string dir)
    {
        var commands = CommandTable.All();
        var tokens = new List<string>(Values) { Path.Combine(dir, "bundle"), Path.Combine(dir, "log.json"), Path.Combine(dir, "pid"), dir, dir + "/", Path.Combine(dir, "a", "..", "b"), "c1" };
        tokens.AddRange(commands.Select(c => c.Name));
        tokens.AddRange(commands.SelectMany(c => c.Command.Aliases));
        tokens.AddRange(new GlobalOptions().All.Select(o => o.Name).Where(n => n != "--root"));
        tokens.AddRange(commands.SelectMany(c => c.Command.Options).SelectMany(o => o.Aliases.Append(o.Name)).Distinct()
            .SelectMany(n => new[] { n, n.TrimStart('-').Length > 1 ? "-" + n.TrimStart('-') : n, n + "=x" }));
        return tokens.Where(t => !t.Contains("--root", StringComparison.Ordinal)).Distinct().ToList();
    }
}
