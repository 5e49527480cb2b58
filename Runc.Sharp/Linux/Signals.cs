using System.Globalization;

namespace Runc.Sharp.Linux;

/// <summary>Signal names and numbers as runc's kill accepts them: 9, KILL, SIGKILL, kill.</summary>
public static class Signals
{
    private static readonly string[] Names =
    [
        "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
        "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
        "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
    ];

    public static int Parse(string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            // 0 checks that the process exists, as kill(2) and runc take it.
            if (n is >= 0 and <= 64)
                return n;
            throw new RuncsException($"unknown signal \"{text}\"");
        }
        var name = text.ToUpperInvariant();
        if (name.StartsWith("SIG", StringComparison.Ordinal))
            name = name[3..];
        var i = Array.IndexOf(Names, name);
        if (i > 0)
            return i;
        if (name == "IOT") return 6;
        if (name == "POLL") return 29;
        if (name.StartsWith("RTMIN", StringComparison.Ordinal) || name.StartsWith("RTMAX", StringComparison.Ordinal))
        {
            var rest = name[5..];
            int offset = 0;
            if (rest.Length == 0 || int.TryParse(rest, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out offset))
            {
                int sig = name.StartsWith("RTMIN", StringComparison.Ordinal) ? 34 + offset : 64 + offset;
                if (sig is >= 34 and <= 64)
                    return sig;
            }
        }
        throw new RuncsException($"unknown signal \"{text}\"");
    }

    /// <summary>glibc's description of a signal, lower-cased as Go prints it ("bad system call").</summary>
    public static unsafe string Describe(int signal)
    {
        var text = Native.Libc.strsignal(signal) is var p && p != null ? new string(p) : $"signal {signal}";
        return text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..] : text;
    }

    /// <summary>False when the process is already gone.</summary>
    public static bool TrySend(int pid, int signal)
    {
        if (Native.Libc.kill(pid, signal) == 0)
            return true;
        int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        if (errno == Native.Errno.ESRCH)
            return false;
        throw new SyscallException("kill", pid.ToString(CultureInfo.InvariantCulture), errno);
    }
}
