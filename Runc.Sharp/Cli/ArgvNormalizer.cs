using System.CommandLine;

namespace Runc.Sharp.Cli;

/// <summary>
/// Brings runc's argument forms into a shape System.CommandLine parses the same way:
/// single-dash long flags (-no-subreaper) become double-dash, bool flags get an explicit
/// "=true" so they never swallow the next word, and for kill/ps/exec a "--" is placed
/// after the first positional so the container's own command line is left alone.
/// A single-valued flag given twice keeps its last value, as Go's flag packages do.
/// Unknown flags are reported here, naming the flag.
/// </summary>
public static class ArgvNormalizer
{
    public sealed record Result(string[] Args, CommandDef? Command, bool VersionRequested, bool HelpRequested = false);

    /// <param name="commands">Built only once a command name is to be looked up: `runcs --version` needs none.</param>
    public static Result Normalize(IReadOnlyList<string> argv, IReadOnlyList<Option> globals, Func<IReadOnlyList<CommandDef>> commands)
    {
        var output = new List<string?>();
        var seen = new Dictionary<Option, Range>();
        int i = 0;
        bool version = false;
        while (i < argv.Count && IsFlag(argv[i]))
        {
            var (token, option) = Resolve(argv[i], globals);
            if (IsHelp(token))
                return new Result([.. argv], null, false, HelpRequested: true);
            if (option is null)
                throw new UsageException($"flag provided but not defined: {argv[i]}");
            if (option.Name == "--version")
                version = true;
            i = Append(output, seen, argv, i, token, option);
        }
        if (i >= argv.Count)
            return new Result(Kept(output), null, version);

        var name = argv[i];
        var command = commands().FirstOrDefault(c => c.Name == name || c.Command.Aliases.Contains(name))
            ?? throw new UsageException($"no such command: {name} (see runcs --help)");
        output.Add(name);
        i++;
        int positionals = 0;
        bool help = false;
        while (i < argv.Count)
        {
            var arg = argv[i];
            if (arg == "--")
            {
                output.AddRange(argv.Skip(i));
                break;
            }
            if (IsFlag(arg))
            {
                var (token, option) = Resolve(arg, command.Command.Options);
                if (IsHelp(token))
                {
                    output.Add("--help");
                    help = true;
                    i++;
                    continue;
                }
                if (option is null)
                    throw new UsageException($"{command.Name}: flag provided but not defined: {arg}");
                i = Append(output, seen, argv, i, token, option);
                continue;
            }
            output.Add(arg);
            positionals++;
            i++;
            if (command.StopAtFirstArg && positionals == 1)
            {
                output.Add("--");
                output.AddRange(argv.Skip(i));
                break;
            }
        }
        return new Result(Kept(output), command, version, help);
    }

    private static string[] Kept(List<string?> output) => [.. output.OfType<string>()];

    private static bool IsFlag(string arg) => arg.Length > 1 && arg[0] == '-' && arg != "--";

    private static bool IsHelp(string token) => token is "--help" or "-h";

    private static (string Token, Option? Option) Resolve(string arg, IEnumerable<Option> options)
    {
        var eq = arg.IndexOf('=');
        var name = eq < 0 ? arg : arg[..eq];
        var rest = eq < 0 ? "" : arg[eq..];
        var list = options as IReadOnlyCollection<Option> ?? options.ToList();
        var option = Find(name, list);
        if (option is null && !name.StartsWith("--", StringComparison.Ordinal) && name.Length > 2)
        {
            // Go's flag packages accept a single dash for long names (go-runc sends -no-subreaper).
            name = "-" + name;
            option = Find(name, list);
        }
        return (name + rest, option);
    }

    private static Option? Find(string name, IEnumerable<Option> options) =>
        options.FirstOrDefault(o => o.Name == name || o.Aliases.Contains(name));

    /// <summary>Appends one flag (and its value), blanking an earlier occurrence of the same single-valued flag.</summary>
    private static int Append(List<string?> output, Dictionary<Option, Range> seen, IReadOnlyList<string> argv, int i, string token, Option option)
    {
        if (!option.ValueType.IsArray)
        {
            if (seen.TryGetValue(option, out var earlier))
                for (int k = earlier.Start.Value; k < earlier.End.Value; k++)
                    output[k] = null;
            int start = output.Count;
            int next = AppendFlag(output, argv, i, token, option);
            seen[option] = start..output.Count;
            return next;
        }
        return AppendFlag(output, argv, i, token, option);
    }

    private static int AppendFlag(List<string?> output, IReadOnlyList<string> argv, int i, string token, Option option)
    {
        bool hasValue = token.Contains('=');
        if (option.ValueType == typeof(bool))
        {
            output.Add(hasValue ? token : token + "=true");
            return i + 1;
        }
        output.Add(token);
        if (hasValue)
            return i + 1;
        if (i + 1 >= argv.Count)
            throw new UsageException($"flag needs an argument: {argv[i]}");
        output.Add(argv[i + 1]);
        return i + 2;
    }
}
