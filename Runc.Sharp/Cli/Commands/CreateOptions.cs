using System.CommandLine;
using Runc.Sharp.Lifecycle;

namespace Runc.Sharp.Cli.Commands;

/// <summary>The flags create, run and restore share, turned into a <see cref="CreateRequest"/>.</summary>
public sealed class CreateOptions
{
    public readonly Option<string> Bundle = Flags.Text("--bundle", "path to the root of the bundle directory, defaults to the current directory", "-b");
    public readonly Option<string> ConsoleSocket = Flags.Text("--console-socket", "path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console's pseudoterminal");
    public readonly Option<string> PidfdSocket = Flags.Text("--pidfd-socket", "path to an AF_UNIX socket which will receive a file descriptor referencing the init process");
    public readonly Option<string> PidFile = Flags.Text("--pid-file", "specify the file to write the process id to");
    public readonly Option<bool> NoPivot = Flags.Bool("--no-pivot", "do not use pivot root to jail process inside rootfs. This should be used whenever the rootfs is on top of a ramdisk");
    public readonly Option<bool> NoNewKeyring = Flags.Bool("--no-new-keyring", "do not create a new session keyring for the container. This will cause the container to inherit the calling processes session key");
    public readonly Option<int> PreserveFds = Flags.Int("--preserve-fds", "Pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total)");

    public IEnumerable<Option> All => [Bundle, ConsoleSocket, PidfdSocket, PidFile, NoPivot, NoNewKeyring, PreserveFds];

    public CreateRequest Request(Invocation inv, bool detach) => new(
        Id: inv.Id,
        Bundle: Path.GetFullPath(inv.Get(Bundle) is { Length: > 0 } b ? b : "."),
        ConsoleSocket: Absolute(inv.Get(ConsoleSocket)),
        PidfdSocket: Absolute(inv.Get(PidfdSocket)),
        PidFile: Absolute(inv.Get(PidFile)),
        NoPivot: inv.Get(NoPivot),
        NoNewKeyring: inv.Get(NoNewKeyring),
        PreserveFds: inv.Get(PreserveFds),
        Detach: detach);

    private static string? Absolute(string? path) => string.IsNullOrEmpty(path) ? null : Path.GetFullPath(path);
}

public static class RuntimeOptionsOf
{
    public static RuntimeOptions From(GlobalContext g) =>
        new(g.Store, g.SystemdCgroup, g.Rootless, g.Log.Warn, g.Debug ? g.Log.Debug : null);
}
