namespace Runc.Sharp.Cli.Commands;

public static class PauseCommand
{
    public static CommandDef Define() =>
        new("pause", "pause suspends all processes inside the container", "<container-id>", 1, 1, [], inv =>
        {
            Lifecycle.Pauser.Pause(RuntimeOptionsOf.From(inv.Global), inv.Id);
            return 0;
        });
}

public static class ResumeCommand
{
    public static CommandDef Define() =>
        new("resume", "resumes all processes that have been previously paused", "<container-id>", 1, 1, [], inv =>
        {
            Lifecycle.Pauser.Resume(RuntimeOptionsOf.From(inv.Global), inv.Id);
            return 0;
        });
}
