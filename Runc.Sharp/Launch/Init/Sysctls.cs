using Runc.Sharp.Linux;

namespace Runc.Sharp.Launch.Init;

/// <summary>
/// linux.sysctl, written by the init once it is in the container's namespaces (the
/// namespaced sysctls follow the writer's namespaces, not the /proc mount) and before any
/// of the config's mounts exist (see <see cref="ProcFiles"/>).
/// </summary>
public static class Sysctls
{
    public static void Apply(IReadOnlyDictionary<string, string>? sysctl)
    {
        foreach (var (key, value) in sysctl ?? new Dictionary<string, string>())
            ProcFiles.Write("sys/" + key.Replace('.', '/'), value, $"linux.sysctl.{key}");
    }
}
