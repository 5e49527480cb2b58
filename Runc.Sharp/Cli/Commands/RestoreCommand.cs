using System.CommandLine;

namespace Runc.Sharp.Cli.Commands;

public static class RestoreCommand
{
    public static CommandDef Define()
    {
        Option[] options =
        [
            Flags.Text("--console-socket", "path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console's pseudoterminal"),
            Flags.Text("--image-path", "path to criu image files for restoring"),
            Flags.Text("--work-path", "path for saving work files and logs"),
            Flags.Bool("--tcp-established", "allow open tcp connections"),
            Flags.Bool("--ext-unix-sk", "allow external unix sockets"),
            Flags.Bool("--shell-job", "allow shell jobs"),
            Flags.Bool("--file-locks", "handle file locks, for safety"),
            Flags.Text("--manage-cgroups-mode", "cgroups mode: soft|full|strict|ignore (default: soft)"),
            Flags.Text("--bundle", "path to the root of the bundle directory", "-b"),
            Flags.Bool("--detach", "detach from the container's process", "-d"),
            Flags.Text("--pid-file", "specify the file to write the process id to"),
            Flags.Bool("--no-subreaper", "disable the use of the subreaper used to reap reparented processes"),
            Flags.Bool("--no-pivot", "do not use pivot root to jail process inside rootfs"),
            Flags.Many("--empty-ns", "create a namespace, but don't restore its properties"),
            Flags.Bool("--auto-dedup", "enable auto deduplication of memory images"),
            Flags.Bool("--lazy-pages", "use userfaultfd to lazily restore memory pages"),
            Flags.Text("--lsm-profile", "Specify an LSM profile to be used during restore in the form of TYPE:NAME"),
            Flags.Text("--lsm-mount-context", "Specify an LSM mount context to be used during restore"),
        ];
        return new CommandDef("restore", "restore a container from a previous checkpoint", "<container-id>", 1, 1, options,
            _ => CommandTable.NotImplemented("restore"));
    }
}
