namespace Runc.Sharp.Cli.Commands;

public static class RunCommand
{
    public static CommandDef Define()
    {
        var o = new CreateOptions();
        var detach = Flags.Bool("--detach", "detach from the container's process", "-d");
        var keep = Flags.Bool("--keep", "do not delete the container after it exits");
        var noSubreaper = Flags.Bool("--no-subreaper", "disable the use of the subreaper used to reap reparented processes");
        return new CommandDef("run", "create and run a container", "<container-id>", 1, 1, [.. o.All, detach, keep, noSubreaper], inv =>
            Lifecycle.Runner.Run(RuntimeOptionsOf.From(inv.Global), o.Request(inv, inv.Get(detach)), inv.Get(keep), inv.Get(noSubreaper)));
    }
}
