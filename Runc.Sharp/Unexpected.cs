namespace Runc.Sharp;

/// <summary>One line for an exception that is not a <see cref="RuncsException"/>: what a library threw, or a bug.</summary>
public static class Unexpected
{
    public static string Describe(Exception e)
    {
        var m = e.Message.TrimEnd('.');
        if (m.Length > 0)
            m = char.ToLowerInvariant(m[0]) + m[1..];
        return e is IOException or UnauthorizedAccessException ? m : $"{e.GetType().Name}: {m}";
    }
}
