namespace Runc.Sharp.Linux;

/// <summary>One line of /proc/self/mountinfo.</summary>
public sealed record MountInfoLine(int Id, int Parent, string Root, string MountPoint, string Options, string FsType, string Source, string SuperOptions)
{
    public static MountInfoLine? Parse(string line)
    {
        var dash = line.IndexOf(" - ", StringComparison.Ordinal);
        if (dash < 0)
            return null;
        var left = line[..dash].Split(' ');
        var right = line[(dash + 3)..].Split(' ');
        if (left.Length < 6 || right.Length < 3)
            return null;
        return new MountInfoLine(
            int.Parse(left[0], System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(left[1], System.Globalization.CultureInfo.InvariantCulture),
            Unescape(left[3]), Unescape(left[4]), left[5], right[0], Unescape(right[1]), right[2]);
    }

    /// <summary>mountinfo escapes space, tab, newline and backslash as \ooo.</summary>
    public static string Unescape(string s)
    {
        if (!s.Contains('\\'))
            return s;
        var sb = new System.Text.StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && IsOctal(s, i + 1))
            {
                sb.Append((char)Convert.ToInt32(s.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
                sb.Append(s[i]);
        }
        return sb.ToString();
    }

    private static bool IsOctal(string s, int at) =>
        at + 3 <= s.Length && s[at] is >= '0' and <= '7' && s[at + 1] is >= '0' and <= '7' && s[at + 2] is >= '0' and <= '7';
}
