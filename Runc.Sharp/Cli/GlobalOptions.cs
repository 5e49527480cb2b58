using System.CommandLine;

namespace Runc.Sharp.Cli;

/// <summary>runc's global flags. Like runc, they come before the subcommand.</summary>
public sealed class GlobalOptions
{
    public readonly Option<bool> Debug = new("--debug") { Description = "enable debug logging" };
    public readonly Option<string> Log = new("--log") { Description = "set the log file to write runcs logs to (default is '/dev/stderr')" };
    public readonly Option<string> LogFormat = new("--log-format")
    {
        Description = "set the log format ('text' (default), or 'json')",
        DefaultValueFactory = _ => "text",
    };
    public readonly Option<string> Root = new("--root")
    {
        Description = "root directory for storage of container state (this should be located in tmpfs)",
        DefaultValueFactory = _ => GlobalContext.DefaultRoot(),
    };
    public readonly Option<string> Criu = new("--criu") { Description = "ignored (accepted for compatibility with callers of runc ≤ 1.3)", Hidden = true };
    public readonly Option<bool> SystemdCgroup = new("--systemd-cgroup")
    {
        Description = "enable systemd cgroup support, expects cgroupsPath to be of form \"slice:prefix:name\" for e.g. \"system.slice:runc:434234\"",
    };
    public readonly Option<string> Rootless = new("--rootless")
    {
        Description = "ignore cgroup permission errors ('true', 'false', or 'auto')",
        DefaultValueFactory = _ => "auto",
    };
    public readonly Option<bool> Version = new("--version", "-v") { Description = "print the version" };

    public IEnumerable<Option> All => [Debug, Log, LogFormat, Root, Criu, SystemdCgroup, Rootless, Version];

    public GlobalContext Resolve(ParseResult r) => GlobalContext.Create(
        r.GetValue(Root)!,
        r.GetValue(Log),
        r.GetValue(LogFormat)!,
        r.GetValue(Debug),
        r.GetValue(SystemdCgroup),
        r.GetValue(Rootless)!);
}
