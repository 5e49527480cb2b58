namespace Runc.Sharp.Cli.Commands;

public static class PsCommand
{
    public static CommandDef Define()
    {
        var format = Flags.TextOr("--format", "select one of: table or json (default: \"table\")", "table", "-f");
        return new CommandDef("ps", "ps displays the processes running inside a container", "<container-id> [ps options]", 1, int.MaxValue, [format], inv =>
        {
            var fmt = inv.Get(format)!;
            if (fmt is not ("table" or "json"))
                throw new UsageException($"invalid format option: {fmt}");
            return Lifecycle.ProcessLister.Print(RuntimeOptionsOf.From(inv.Global), inv.Id, fmt == "json", inv.Args.Skip(1).ToList());
        })
        { StopAtFirstArg = true };
    }
}
