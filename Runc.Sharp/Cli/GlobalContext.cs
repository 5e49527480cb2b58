using Runc.Sharp.Lifecycle;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Cli;

/// <summary>The resolved global flags every command runs with.</summary>
public sealed record GlobalContext(string Root, Logger Log, bool Debug, bool SystemdCgroup, string Rootless)
{
    public StateStore Store => new(Root);

    public static string DefaultRoot()
    {
        if (Libc.geteuid() != 0 && Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } xdg)
            return Path.Combine(xdg, "runcs");
        return "/run/runcs";
    }

    public static GlobalContext Create(string root, string? logFile, string logFormat, bool debug, bool systemd, string rootless)
    {
        if (logFormat is not ("text" or "json"))
            throw new UsageException($"invalid log-format: {logFormat}");
        if (rootless is not ("true" or "false" or "auto"))
            throw new UsageException($"invalid --rootless value: {rootless} (true, false or auto)");
        var abs = Path.GetFullPath(root);
        if (abs == "/")
            throw new UsageException("Option --root argument should not be set to /");
        return new GlobalContext(abs, new Logger(logFile, logFormat == "json", debug), debug, systemd, rootless);
    }
}

/// <summary>A command line that cannot be run as given (exit 1, nothing touched).</summary>
public sealed class UsageException(string message) : RuncsException(message);
