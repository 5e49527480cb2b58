namespace Runc.Sharp.Cli.Commands;

/// <summary>Every subcommand, in runc's help order.</summary>
public static class CommandTable
{
    public static IReadOnlyList<CommandDef> All() =>
    [
        CheckpointCommand.Define(),
        CreateCommand.Define(),
        DeleteCommand.Define(),
        EventsCommand.Define(),
        ExecCommand.Define(),
        KillCommand.Define(),
        ListCommand.Define(),
        PauseCommand.Define(),
        PsCommand.Define(),
        RestoreCommand.Define(),
        ResumeCommand.Define(),
        RunCommand.Define(),
        SpecCommand.Define(),
        StartCommand.Define(),
        StateCommand.Define(),
        UpdateCommand.Define(),
        FeaturesCommand.Define(),
    ];

    /// <summary>For commands whose work lands in a later issue: a clear failure, never a silent success.</summary>
    public static int NotImplemented(string command) =>
        throw new RuncsException($"{command}: not implemented yet");
}
