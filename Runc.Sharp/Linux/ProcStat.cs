using System.Globalization;

namespace Runc.Sharp.Linux;

/// <summary>The fields of /proc/&lt;pid&gt;/stat that decide whether a recorded process still lives.</summary>
public readonly record struct ProcStat(char State, ulong StartTime)
{
    public bool IsDead => State is 'Z' or 'X' or 'x';

    /// <summary>Null when the process does not exist.</summary>
    public static ProcStat? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }
        return Parse(text);
    }

    /// <summary>Parses "pid (comm) S ppid …"; comm may contain spaces and parentheses.</summary>
    public static ProcStat? Parse(string text)
    {
        int close = text.LastIndexOf(')');
        if (close < 0 || close + 2 >= text.Length)
            return null;
        var fields = text[(close + 2)..].Split(' ');
        // After comm: state is field 3 and starttime field 22 of proc(5), i.e. index 0 and 19 here.
        if (fields.Length < 20 || fields[0].Length != 1)
            return null;
        return ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            ? new ProcStat(fields[0][0], start)
            : null;
    }
}
