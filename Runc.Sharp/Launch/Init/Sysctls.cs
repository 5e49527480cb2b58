namespace Runc.Sharp.Launch.Init;

/// <summary>linux.sysctl, written through the container's /proc/sys.</summary>
public static class Sysctls
{
    public static void Apply(IReadOnlyDictionary<string, string>? sysctl)
    {
        foreach (var (key, value) in sysctl ?? new Dictionary<string, string>())
        {
            var path = "/proc/sys/" + key.Replace('.', '/');
            try
            {
                File.WriteAllText(path, value);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new RuncsException($"write {path} (linux.sysctl.{key}): {e.Message}");
            }
        }
    }
}
