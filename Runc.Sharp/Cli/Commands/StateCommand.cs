using System.Text.Json;
using Runc.Sharp.Lifecycle;

namespace Runc.Sharp.Cli.Commands;

public static class StateCommand
{
    public static CommandDef Define() =>
        new("state", "output the state of a container", "<container-id>", 1, 1, [], inv =>
        {
            var state = Queries.State(inv.Global.Store, inv.Id);
            // runc prints json.MarshalIndent output with no trailing newline.
            Console.Out.Write(JsonSerializer.Serialize(state, LifecycleJson.Indented.OciState));
            return 0;
        });
}
