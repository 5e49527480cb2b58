namespace Runc.Sharp.Cli.Commands;

public static class CreateCommand
{
    public static CommandDef Define()
    {
        var o = new CreateOptions();
        return new CommandDef("create", "create a container", "<container-id>", 1, 1, o.All, inv =>
        {
            Lifecycle.Creator.Create(RuntimeOptionsOf.From(inv.Global), o.Request(inv, detach: true));
            return 0;
        });
    }
}
