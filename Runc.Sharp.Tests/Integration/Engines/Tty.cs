namespace Runc.Sharp.Tests.Integration.Engines;

/// <summary>
/// Runs a client command on a pseudo-terminal (util-linux script), as a user at a
/// terminal would for `ctr run -t` or `docker run -t`, and cleans what the pty adds.
/// </summary>
public static class Tty
{
    public static ProcResult Run(IEnumerable<string> argv, TimeSpan? timeout = null)
    {
        var command = string.Join(' ', argv.Select(Quote));
        var r = Runcs.Exec("script", ["-qefc", command, "/dev/null"], timeout: timeout);
        return r with { Stdout = Clean(r.Stdout) };
    }

    /// <summary>Drops the CRs the pty's output processing adds and the NULs (echoed as ^@) some clients write while sizing it.</summary>
    public static string Clean(string text) => text.Replace("\r", "").Replace("\0", "").Replace("^@", "");

    private static string Quote(string arg) => "'" + arg.Replace("'", "'\\''") + "'";
}
