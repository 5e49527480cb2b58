using Runc.Sharp.Lifecycle;

namespace Runc.Sharp.Cli.Commands;

public static class ExecCommand
{
    public static CommandDef Define()
    {
        var consoleSocket = Flags.Text("--console-socket", "path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console's pseudoterminal");
        var pidfdSocket = Flags.Text("--pidfd-socket", "path to an AF_UNIX socket which will receive a file descriptor referencing the exec process");
        var cwd = Flags.Text("--cwd", "current working directory in the container");
        var env = Flags.Many("--env", "set environment variables", "-e");
        var tty = Flags.Bool("--tty", "allocate a pseudo-TTY", "-t");
        var user = Flags.Text("--user", "UID (format: <uid>[:<gid>])", "-u");
        var gids = Flags.Many("--additional-gids", "additional gids", "-g");
        var process = Flags.Text("--process", "path to the process.json", "-p");
        var detach = Flags.Bool("--detach", "detach from the container's process", "-d");
        var pidFile = Flags.Text("--pid-file", "specify the file to write the process id to");
        var label = Flags.Text("--process-label", "set the asm process label for the process commonly used with selinux");
        var apparmor = Flags.Text("--apparmor", "set the apparmor profile for the process");
        var noNewPrivs = Flags.Bool("--no-new-privs", "set the no new privileges value for the process");
        var cap = Flags.Many("--cap", "add a capability to the bounding set for the process", "-c");
        var preserve = Flags.Int("--preserve-fds", "Pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total)");
        var cgroup = Flags.Many("--cgroup", "run the process in an (existing) sub-cgroup(s). Format is [<controller>:]<cgroup>.");
        var ignorePaused = Flags.Bool("--ignore-paused", "allow exec in a paused container");
        return new CommandDef("exec", "execute new process inside the container", "<container-id> <command> [command options]", 1, int.MaxValue,
            [consoleSocket, pidfdSocket, cwd, env, tty, user, gids, process, detach, pidFile, label, apparmor, noNewPrivs, cap, preserve, cgroup, ignorePaused],
            inv =>
            {
                var request = new ExecRequest(
                    inv.Id,
                    inv.Args.Skip(1).ToList(),
                    Absolute(inv.Get(process)),
                    inv.Get(cwd),
                    inv.Get(env) ?? [],
                    inv.Get(tty),
                    inv.Get(user),
                    inv.Get(gids) ?? [],
                    inv.Get(cap) ?? [],
                    inv.Get(noNewPrivs),
                    inv.Get(detach),
                    Absolute(inv.Get(pidFile)),
                    Absolute(inv.Get(consoleSocket)),
                    inv.Get(preserve),
                    inv.Get(ignorePaused),
                    inv.Get(apparmor),
                    inv.Get(label),
                    Absolute(inv.Get(pidfdSocket)),
                    inv.Get(cgroup) ?? []);
                return Executor.Exec(RuntimeOptionsOf.From(inv.Global), request);
            })
        { StopAtFirstArg = true };
    }

    private static string? Absolute(string? path) => string.IsNullOrEmpty(path) ? null : Path.GetFullPath(path);
}
