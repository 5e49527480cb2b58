namespace Runc.Sharp.Cli.Commands;

public static class KillCommand
{
    public static CommandDef Define()
    {
        var all = Flags.Bool("--all", "send the specified signal to all processes inside the container", "-a");
        all.Hidden = true;
        return new CommandDef("kill", "kill sends the specified signal (default: SIGTERM) to the container's init process",
            "<container-id> [signal]", 1, 2, [all], inv =>
            {
                var signal = Linux.Signals.Parse(inv.Args.Count > 1 ? inv.Args[1] : "SIGTERM");
                Lifecycle.Killer.Kill(RuntimeOptionsOf.From(inv.Global), inv.Id, signal, inv.Get(all));
                return 0;
            })
        { StopAtFirstArg = true };
    }
}
