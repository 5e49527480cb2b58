using System.CommandLine;
using System.CommandLine.Help;
using Runc.Sharp.Cli.Commands;
using Runc.Sharp.Linux;

namespace Runc.Sharp.Cli;

/// <summary>
/// runc's command line. The one place that turns errors into output and exit codes:
/// a <see cref="RuncsException"/> becomes one "runcs: …" line on stderr (and in --log).
/// </summary>
public static class CliApp
{
    public const string Usage = "Open Container Initiative runtime written in C#, a drop-in replacement for runc";

    /// <summary>No POSIX bundling (runc has none) and no @response files (an id may start with '@').</summary>
    internal static ParserConfiguration ParserConfig => new() { EnablePosixBundling = false, ResponseFileTokenReplacer = null };

    public static int Run(string[] argv)
    {
        var globals = new GlobalOptions();
        var commands = new Lazy<IReadOnlyList<CommandDef>>(CommandTable.All);
        ArgvNormalizer.Result normalized;
        try
        {
            normalized = ArgvNormalizer.Normalize(argv, [.. globals.All], () => commands.Value);
        }
        catch (UsageException e)
        {
            StdErr.WriteLine($"runcs: {e.Message}");
            return 1;
        }
        if (normalized.VersionRequested)
        {
            Console.Out.Write(VersionText.Text);
            return 0;
        }
        var config = ParserConfig;
        bool help = normalized.HelpRequested || normalized.Command is null;
        var parse = BuildRoot(globals, commands.Value, help).Parse(normalized.Args, config);
        // No command at all is a request for help, as in runc, not a missing-command error.
        if (help || normalized.Command is not { } def)
            return ShowHelp(parse);
        if (parse.Errors.Count > 0)
        {
            StdErr.WriteLine($"runcs: {parse.Errors[0].Message}");
            return 1;
        }

        var args = parse.GetValue(def.Positionals) ?? [];
        if (args.Length < def.MinArgs || args.Length > def.MaxArgs)
        {
            Console.Out.WriteLine("Incorrect Usage.");
            Console.Out.WriteLine();
            ShowHelp(BuildRoot(new GlobalOptions(), CommandTable.All(), forHelp: true).Parse([def.Name, "--help"], config));
            StdErr.WriteLine($"runcs: {def.ArgumentCountProblem(args.Length)}");
            return 1;
        }
        GlobalContext global;
        try
        {
            global = globals.Resolve(parse);
        }
        catch (UsageException e)
        {
            StdErr.WriteLine($"runcs: {e.Message}");
            return 1;
        }
        global.Log.Touch();
        try
        {
            return def.Run(new Invocation(parse, global, args));
        }
        catch (ContainerExecFailed e) when (def.Name == "run")
        {
            // As with runc: the container's own error on its stderr, and the status of an init that could not exec.
            global.Log.ContainerError(e.Message);
            return 255;
        }
        catch (Exception e)
        {
            // Any type: a bug must still end as one line and runc's exit code, with every
            // finally block on the way (create's undo) run, as an unhandled exception would not.
            global.Log.Error(ErrorPrefix.For(def.Name, e as RuncsException ?? new RuncsException(Unexpected.Describe(e))));
            return def.Name == "exec" ? 255 : 1;
        }
    }

    private static int ShowHelp(ParseResult parse)
    {
        new HelpAction().Invoke(parse);
        return 0;
    }

    /// <summary>
    /// The parse tree. Only help needs a RootCommand: its help option reads System.CommandLine's
    /// resources, and a ResourceManager's first use searches assembly attributes through
    /// reflection metadata, a cost every start would pay. Other runs parse with a plain Command.
    /// </summary>
    internal static Command BuildRoot(GlobalOptions globals, IReadOnlyList<CommandDef> commands, bool forHelp)
    {
        var root = new Command("runcs", Usage);
        if (forHelp)
        {
            var rootCommand = new RootCommand(Usage);
            foreach (var option in rootCommand.Options.Where(o => o is VersionOption).ToList())
                rootCommand.Options.Remove(option);
            rootCommand.Directives.Clear();
            root = rootCommand;
        }
        foreach (var option in globals.All)
            root.Add(option);
        foreach (var command in commands)
            root.Add(command.Command);
        return root;
    }
}

/// <summary>runc prefixes errors of the commands containerd reports: "create failed: …".</summary>
public static class ErrorPrefix
{
    public static string For(string command, RuncsException e) => command switch
    {
        "create" or "run" or "start" or "exec" or "restore" when e is not (UsageException or Lifecycle.ContainerNotFound)
            => $"{command} failed: {e.Message}",
        _ => e.Message,
    };
}
