using Runc.Sharp.Lifecycle;

namespace Runc.Sharp.Cli.Commands;

public static class EventsCommand
{
    public static CommandDef Define()
    {
        var interval = Flags.TextOr("--interval", "set the stats collection interval", "5s");
        var stats = Flags.Bool("--stats", "display the container's stats then exit");
        return new CommandDef("events", "display container events such as OOM notifications, cpu, memory, and IO usage statistics", "<container-id>", 1, 1, [interval, stats],
            inv => EventsReporter.Run(RuntimeOptionsOf.From(inv.Global), inv.Id, EventsReporter.ParseInterval(inv.Get(interval)!), inv.Get(stats)));
    }
}
