using System.Text;
using Runc.Sharp.Lifecycle;

namespace Runc.Sharp.Cli.Commands;

public static class ListCommand
{
    public static CommandDef Define()
    {
        var format = Flags.TextOr("--format", "select one of: table or json (default: \"table\")", "table", "-f");
        var quiet = Flags.Bool("--quiet", "display only container IDs", "-q");
        return new CommandDef("list", "lists containers started by runcs with the given root", "", 0, 0, [format, quiet], inv =>
        {
            var fmt = inv.Get(format);
            if (fmt is not ("table" or "json"))
                throw new UsageException($"invalid format option: {fmt}");
            var explicitRoot = inv.Parse.GetResult(inv.Parse.RootCommandResult.Command.Options.First(o => o.Name == "--root")) is { Implicit: false };
            var states = Queries.List(inv.Global.Store, mustExist: explicitRoot);
            if (inv.Get(quiet))
            {
                foreach (var s in states)
                    Console.Out.WriteLine(s.Id);
                return 0;
            }
            if (fmt == "json")
            {
                Console.Out.Write(states.Count == 0 ? "null" : StateJson.Text(states));
                Console.Out.Write('\n');
                return 0;
            }
            Console.Out.Write(Table(states));
            return 0;
        });
    }

    /// <summary>Go's tabwriter with minwidth 12, tabwidth 1, padding 3, padded with spaces.</summary>
    public static string Table(IReadOnlyList<OciState> states)
    {
        var rows = new List<string[]> { new[] { "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER" } };
        rows.AddRange(states.Select(s => new[] { s.Id, s.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Status, s.Bundle, s.Created, s.Owner }));
        var widths = new int[6];
        foreach (var row in rows)
        {
            for (int c = 0; c < 5; c++)
                widths[c] = Math.Max(widths[c], Math.Max(12, row[c].Length + 3));
        }
        var sb = new StringBuilder();
        foreach (var row in rows)
        {
            for (int c = 0; c < 5; c++)
                sb.Append(row[c].PadRight(widths[c]));
            sb.Append(row[5]).Append('\n');
        }
        return sb.ToString();
    }
}
