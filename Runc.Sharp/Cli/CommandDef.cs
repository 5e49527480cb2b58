using System.CommandLine;

namespace Runc.Sharp.Cli;

/// <summary>What a command handler gets: the parse, the global context and the positional arguments.</summary>
public sealed record Invocation(ParseResult Parse, GlobalContext Global, IReadOnlyList<string> Args)
{
    public T? Get<T>(Option<T> option) => Parse.GetValue(option);
    public string Id => Args[0];
}

/// <summary>
/// A runc subcommand: its System.CommandLine command, how many positional arguments it
/// takes (checked by runcs, which prints runc's "Incorrect Usage."), and whether flag
/// parsing stops after the first positional (runc's StopOnNthArg(1) for kill, ps, exec).
/// </summary>
public sealed class CommandDef
{
    public Command Command { get; }
    public Argument<string[]> Positionals { get; }
    public int MinArgs { get; }
    public int MaxArgs { get; }
    public bool StopAtFirstArg { get; init; }
    public Func<Invocation, int> Run { get; }

    public CommandDef(string name, string description, string argsHelp, int min, int max,
        IEnumerable<Option> options, Func<Invocation, int> run)
    {
        Command = new Command(name, description);
        Positionals = new Argument<string[]>(argsHelp.Length == 0 ? "args" : argsHelp)
        {
            Arity = ArgumentArity.ZeroOrMore,
            Hidden = argsHelp.Length == 0,
        };
        Command.Add(Positionals);
        foreach (var o in options)
            Command.Add(o);
        MinArgs = min;
        MaxArgs = max;
        Run = run;
    }

    public string Name => Command.Name;

    public string ArgumentCountProblem(int count) =>
        MinArgs == MaxArgs ? $"\"{Name}\" requires exactly {MinArgs} argument(s)"
        : count < MinArgs ? $"\"{Name}\" requires a minimum of {MinArgs} argument(s)"
        : $"\"{Name}\" requires a maximum of {MaxArgs} argument(s)";

    public Option? FindOption(string token) =>
        Command.Options.FirstOrDefault(o => o.Name == token || o.Aliases.Contains(token));
}

public static class Flags
{
    public static Option<bool> Bool(string name, string description, params string[] aliases) =>
        new(name, aliases) { Description = description };

    public static Option<string> Text(string name, string description, params string[] aliases) =>
        new(name, aliases) { Description = description };

    public static Option<string> TextOr(string name, string description, string defaultValue, params string[] aliases) =>
        new(name, aliases) { Description = description, DefaultValueFactory = _ => defaultValue };

    public static Option<int> Int(string name, string description, int defaultValue = 0, params string[] aliases) =>
        new(name, aliases) { Description = description, DefaultValueFactory = _ => defaultValue };

    public static Option<string[]> Many(string name, string description, params string[] aliases) =>
        new(name, aliases) { Description = description, Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = false };
}
