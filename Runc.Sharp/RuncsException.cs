namespace Runc.Sharp;

/// <summary>
/// An error meant for the user: its message is the one line runcs prints (after the
/// operation prefix the CLI adds). Every layer throws a subclass; only Cli catches it.
/// </summary>
public class RuncsException : Exception
{
    public RuncsException(string message) : base(message) { }
    public RuncsException(string message, Exception inner) : base(message, inner) { }
}
