namespace Runc.Sharp.Spec;

internal static class HookChecks
{
    public static IEnumerable<ValidationError> Paths(RuntimeSpec s)
    {
        foreach (var (phase, hooks) in HookPhases.All(s.Hooks))
        {
            for (int i = 0; i < hooks.Count; i++)
            {
                var path = hooks[i].Path;
                if (string.IsNullOrEmpty(path))
                    yield return new($"hooks.{phase}[{i}].path", "must not be empty");
                else if (!path.StartsWith('/'))
                    yield return new($"hooks.{phase}[{i}].path", $"\"{path}\" must be an absolute path");
                if (hooks[i].Timeout is <= 0)
                    yield return new($"hooks.{phase}[{i}].timeout", "must be greater than zero");
            }
        }
    }
}

/// <summary>The six hook phases in the order the runtime-spec runs them.</summary>
public static class HookPhases
{
    public const string Prestart = "prestart";
    public const string CreateRuntime = "createRuntime";
    public const string CreateContainer = "createContainer";
    public const string StartContainer = "startContainer";
    public const string Poststart = "poststart";
    public const string Poststop = "poststop";

    public static readonly string[] Names =
        [Prestart, CreateRuntime, CreateContainer, StartContainer, Poststart, Poststop];

    public static IReadOnlyList<Hook> Of(Hooks? hooks, string phase) => (phase switch
    {
        Prestart => hooks?.Prestart,
        CreateRuntime => hooks?.CreateRuntime,
        CreateContainer => hooks?.CreateContainer,
        StartContainer => hooks?.StartContainer,
        Poststart => hooks?.Poststart,
        Poststop => hooks?.Poststop,
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, null),
    }) ?? [];

    public static IEnumerable<(string Phase, IReadOnlyList<Hook> Hooks)> All(Hooks? hooks) =>
        Names.Select(n => (n, Of(hooks, n)));
}
