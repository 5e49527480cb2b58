using System.CommandLine;

namespace Runc.Sharp.Cli.Commands;

public static class ExecCommand
{
    public static CommandDef Define()
    {
        Option[] options =
        [
            Flags.Text("--console-socket", "path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console's pseudoterminal"),
            Flags.Text("--pidfd-socket", "path to an AF_UNIX socket which will receive a file descriptor referencing the exec process"),
            Flags.Text("--cwd", "current working directory in the container"),
            Flags.Many("--env", "set environment variables", "-e"),
            Flags.Bool("--tty", "allocate a pseudo-TTY", "-t"),
            Flags.Text("--user", "UID (format: <uid>[:<gid>])", "-u"),
            Flags.Many("--additional-gids", "additional gids", "-g"),
            Flags.Text("--process", "path to the process.json", "-p"),
            Flags.Bool("--detach", "detach from the container's process", "-d"),
            Flags.Text("--pid-file", "specify the file to write the process id to"),
            Flags.Text("--process-label", "set the asm process label for the process commonly used with selinux"),
            Flags.Text("--apparmor", "set the apparmor profile for the process"),
            Flags.Bool("--no-new-privs", "set the no new privileges value for the process"),
            Flags.Many("--cap", "add a capability to the bounding set for the process", "-c"),
            Flags.Int("--preserve-fds", "Pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total)"),
            Flags.Many("--cgroup", "run the process in an (existing) sub-cgroup(s). Format is [<controller>:]<cgroup>."),
            Flags.Bool("--ignore-paused", "allow exec in a paused container"),
        ];
        return new CommandDef("exec", "execute new process inside the container", "<container-id> <command> [command options]", 1, int.MaxValue, options,
            _ => CommandTable.NotImplemented("exec"))
        { StopAtFirstArg = true };
    }
}
