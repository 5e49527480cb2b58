namespace Runc.Sharp.Lifecycle;

/// <summary>The global settings container operations run with.</summary>
public sealed record RuntimeOptions(StateStore Store, bool SystemdCgroup, string Rootless, Action<string> Warn);

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
