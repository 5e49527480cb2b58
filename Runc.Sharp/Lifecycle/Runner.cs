using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Lifecycle;

/// <summary>
/// `run`: create and start. Detached, it returns at once; in the foreground it waits
/// for init (see <see cref="Foreground"/>), deletes the container unless --keep, and
/// returns init's status.
/// </summary>
public static class Runner
{
    public static int Run(RuntimeOptions o, CreateRequest r, bool keep, bool noSubreaper)
    {
        if (!noSubreaper && !r.Detach)
            Libc.prctl(Pr.SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        var created = Creator.Create(o, r);
        using var foreground = r.Detach ? null : new Foreground(created.Pid, created.PtyMaster);
        try
        {
            Starter.Start(o, r.Id);
        }
        catch (Exception)
        {
            if (!r.Detach)
                DeleteQuietly(o, r.Id);
            throw;
        }
        if (foreground is null)
            return 0;
        int status = foreground.Wait();
        if (!keep)
            Deleter.Delete(o, r.Id, force: true);
        return status;
    }

    private static void DeleteQuietly(RuntimeOptions o, string id)
    {
        try
        {
            Deleter.Delete(o, id, force: true);
        }
        catch (RuncsException e)
        {
            o.Warn($"cleanup of {id} after a failed start: {e.Message}");
        }
    }
}
