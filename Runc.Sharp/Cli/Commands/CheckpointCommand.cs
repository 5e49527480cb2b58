using System.CommandLine;

namespace Runc.Sharp.Cli.Commands;

public static class CheckpointCommand
{
    public static CommandDef Define()
    {
        var imagePath = Flags.Text("--image-path", "path for saving criu image files");
        var parentPath = Flags.Text("--parent-path", "path for previous criu image files in pre-dump");
        Option[] options =
        [
            imagePath,
            Flags.Text("--work-path", "path for saving work files and logs"),
            parentPath,
            Flags.Bool("--leave-running", "leave the process running after checkpointing"),
            Flags.Bool("--tcp-established", "allow open tcp connections"),
            Flags.Bool("--tcp-skip-in-flight", "skip in-flight tcp connections"),
            Flags.Bool("--link-remap", "allow one to link unlinked files back when possible"),
            Flags.Bool("--ext-unix-sk", "allow external unix sockets"),
            Flags.Bool("--shell-job", "allow shell jobs"),
            Flags.Bool("--lazy-pages", "use userfaultfd to lazily restore memory pages"),
            Flags.Text("--status-fd", "criu writes \\0 to this FD once lazy-pages is ready"),
            Flags.Text("--page-server", "ADDRESS:PORT of the page server"),
            Flags.Bool("--file-locks", "handle file locks, for safety"),
            Flags.Bool("--pre-dump", "dump container's memory information only, leave the container running after this"),
            Flags.Text("--manage-cgroups-mode", "cgroups mode: soft|full|strict|ignore (default: soft)"),
            Flags.Many("--empty-ns", "create a namespace, but don't restore its properties"),
            Flags.Bool("--auto-dedup", "enable auto deduplication of memory images"),
        ];
        return new CommandDef("checkpoint", "checkpoint a running container", "<container-id>", 1, 1, options,
            inv =>
            {
                Lifecycle.Checkpointer.Checkpoint(RuntimeOptionsOf.From(inv.Global), inv.Id, inv.Get(imagePath), inv.Get(parentPath));
                return 0;
            });
    }
}
