using Runc.Sharp.Lifecycle;

namespace Runc.Sharp.Cli.Commands;

public static class StateCommand
{
    public static CommandDef Define() =>
        new("state", "output the state of a container", "<container-id>", 1, 1, [], inv =>
        {
            var state = Queries.State(inv.Global.Store, inv.Id);
            Console.Out.Write(state.ToIndentedJson());
            return 0;
        });
}
