namespace Runc.Sharp.Lifecycle;

/// <summary>runc's id rule: [A-Za-z0-9_+.-]+, not "." or "..". Checked before anything touches the disk.</summary>
public static class ContainerId
{
    public const int MaxLength = 1024;

    public static string? Problem(string? id)
    {
        if (string.IsNullOrEmpty(id))
            return "container id cannot be empty";
        if (id is "." or "..")
            return $"invalid container id \"{id}\"";
        if (id.Length > MaxLength)
            return $"container id is longer than {MaxLength} characters";
        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or '.' or '-'))
                return $"invalid container id \"{id}\": only [A-Za-z0-9_+.-] are allowed";
        }
        return null;
    }

    public static void Validate(string? id)
    {
        if (Problem(id) is { } problem)
            throw new RuncsException(problem);
    }
}
