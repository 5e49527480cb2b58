namespace Runc.Sharp.Cli;

/// <summary>`runcs --version`, in the shape go-runc parses (version, commit, spec prefixes).</summary>
public static class VersionText
{
    public const string SpecVersion = "1.3.0";

    public static string Version => BuildInfo.Version;

    public static string Commit => BuildInfo.Commit;

    public static string Text =>
        $"runcs version {Version}\ncommit: {Commit}\nspec: {SpecVersion}\ndotnet: {BuildInfo.Runtime}\nlibseccomp: {Linux.Seccomp.SeccompFilter.LibraryVersion}\n";
}
