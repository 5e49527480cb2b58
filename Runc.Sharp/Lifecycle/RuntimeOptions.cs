namespace Runc.Sharp.Lifecycle;

/// <summary>The global settings container operations run with.</summary>
/// <param name="Debug">--debug: a step for the log at debug level; null without --debug, so that nothing is formatted for nobody.</param>
public sealed record RuntimeOptions(StateStore Store, bool SystemdCgroup, string Rootless, Action<string> Warn, Action<string>? Debug = null)
{
    /// <summary>--rootless true, or auto (the default) when runcs runs as a non-root user, as runc decides it.</summary>
    public bool IsRootless => Rootless == "true" || Rootless == "auto" && Linux.Native.Libc.geteuid() != 0;
}

/// <summary>The flags of create (and run, restore) after the CLI made paths absolute.</summary>
public sealed record CreateRequest(
    string Id,
    string Bundle,
    string? ConsoleSocket,
    string? PidfdSocket,
    string? PidFile,
    bool NoPivot,
    bool NoNewKeyring,
    int PreserveFds,
    bool Detach);
