namespace Runc.Sharp.Cli.Commands;

public static class StartCommand
{
    public static CommandDef Define() =>
        new("start", "executes the user defined process in a created container", "<container-id>", 1, 1, [], inv =>
        {
            Lifecycle.Starter.Start(RuntimeOptionsOf.From(inv.Global), inv.Id);
            return 0;
        });
}
