using Runc.Sharp.Linux.Process;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Lifecycle;

/// <summary>
/// The hooks that run in the runtime's namespaces, with the state each phase sees.
/// Statuses follow the runtime-tools suite where the spec allows it (spec/hooks.md):
/// prestart/createRuntime/createContainer "created", poststart "running", poststop "stopped".
/// </summary>
public static class HookStates
{
    public static string Json(ContainerState state, ContainerStatus status, int pid) =>
        StateJson.Text(OciState.From(state, status) with { Pid = pid }, indented: false);

    /// <summary>Runs a phase, stopping at the first failing hook; <paramref name="cwd"/> as <see cref="HookProcess.Run"/>'s.</summary>
    public static void Run(Hooks? all, string phase, string stateJson, string? cwd = null)
    {
        var hooks = HookPhases.Of(all, phase);
        for (int i = 0; i < hooks.Count; i++)
            HookProcess.Run(hooks[i], phase, i, stateJson, cwd: cwd);
    }

    /// <summary>poststop: a failure is a warning only, and the remaining hooks still run.</summary>
    public static void RunPoststop(Hooks? all, string stateJson, Action<string> warn)
    {
        var hooks = HookPhases.Of(all, HookPhases.Poststop);
        for (int i = 0; i < hooks.Count; i++)
        {
            try
            {
                HookProcess.Run(hooks[i], HookPhases.Poststop, i, stateJson);
            }
            catch (RuncsException e)
            {
                warn(e.Message);
            }
        }
    }
}
