using System.Reflection;

namespace Runc.Sharp.Cli;

/// <summary>`runcs --version`, in the shape go-runc parses (version, commit, spec prefixes).</summary>
public static class VersionText
{
    public const string SpecVersion = "1.3.0";

    public static string Version
    {
        get
        {
            var info = typeof(VersionText).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            var plus = info.IndexOf('+');
            return plus < 0 ? info : info[..plus];
        }
    }

    public static string Commit
    {
        get
        {
            var info = typeof(VersionText).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
            var plus = info.IndexOf('+');
            return plus < 0 ? "unknown" : info[(plus + 1)..];
        }
    }

    public static string Text =>
        $"runcs version {Version}\ncommit: {Commit}\nspec: {SpecVersion}\ndotnet: {Environment.Version}\nlibseccomp: {Linux.Seccomp.SeccompFilter.LibraryVersion}\n";
}
