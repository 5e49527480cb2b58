using Runc.Sharp.Lifecycle;

namespace Runc.Sharp.Cli.Commands;

public static class DeleteCommand
{
    public static CommandDef Define()
    {
        var force = Flags.Bool("--force", "Forcibly deletes the container if it is still running (uses SIGKILL)", "-f");
        return new CommandDef("delete", "delete any resources held by the container often used with detached container", "<container-id>", 1, 1, [force], inv =>
        {
            try
            {
                Deleter.Delete(RuntimeOptionsOf.From(inv.Global), inv.Id, inv.Get(force));
            }
            catch (ContainerNotFound) when (inv.Get(force))
            {
                // runc: deleting a missing container with --force is a success.
            }
            return 0;
        });
    }
}
