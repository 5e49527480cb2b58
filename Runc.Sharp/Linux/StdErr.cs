namespace Runc.Sharp.Linux;

/// <summary>
/// Lines to stderr that never throw. A caller may start runcs with fd 2 closed or on a
/// broken pipe (EBADF surfaces as UnauthorizedAccessException, other errors as
/// IOException); then the line is lost, instead of the runtime aborting before it could
/// clean up or write its --log.
/// </summary>
public static class StdErr
{
    public static void WriteLine(string line)
    {
        try
        {
            Console.Error.WriteLine(line);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nowhere left to report it; the --log file, when given, already has it.
        }
    }
}
