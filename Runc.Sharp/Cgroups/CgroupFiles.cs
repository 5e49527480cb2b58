using System.Globalization;

namespace Runc.Sharp.Cgroups;

/// <summary>Reads and writes of cgroupfs files, with errors that name the file.</summary>
public static class CgroupFiles
{
    /// <summary>One open, write, close: cgroupfs files take a value per write and need no truncation or locking.</summary>
    public static unsafe void Write(string dir, string file, string value)
    {
        var path = Path.Combine(dir, file);
        int fd = Linux.Native.Libc.open(path, Linux.Native.O.WRONLY | Linux.Native.O.TRUNC | Linux.Native.O.CLOEXEC, 0);
        if (fd < 0)
            throw Linux.SyscallException.FromLast("open", path);
        try
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(value);
            fixed (byte* p = bytes)
            {
                if (Linux.Native.Libc.write(fd, p, bytes.Length) != bytes.Length)
                    throw Linux.SyscallException.FromLast("write", $"{path} \"{value}\"");
            }
        }
        finally
        {
            Linux.Native.Libc.close(fd);
        }
    }

    public static string Read(string dir, string file) =>
        TryRead(dir, file) ?? throw new RuncsException($"read {Path.Combine(dir, file)}: no such file or directory");

    /// <summary>The file's text, or null when it does not exist (read with plain syscalls: these are tiny kernel files).</summary>
    public static string? TryRead(string dir, string file)
    {
        var path = Path.Combine(dir, file);
        int fd = Linux.Native.Libc.open(path, Linux.Native.O.RDONLY | Linux.Native.O.CLOEXEC, 0);
        if (fd < 0)
        {
            int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (errno is Linux.Native.Errno.ENOENT or Linux.Native.Errno.ENOTDIR)
                return null;
            throw new Linux.SyscallException("open", path, errno);
        }
        try
        {
            return System.Text.Encoding.UTF8.GetString(Linux.SysCall.ReadToEnd(fd, path));
        }
        finally
        {
            Linux.Native.Libc.close(fd);
        }
    }

    public static IReadOnlyList<int> ReadPids(string dir)
    {
        var text = TryRead(dir, "cgroup.procs");
        if (text is null)
            return [];
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => int.Parse(l, CultureInfo.InvariantCulture))
            .ToList();
    }

    /// <summary>Whether this process may create (or already has write access to) <paramref name="dir"/>: the nearest existing ancestor is writable.</summary>
    public static bool CanCreate(string dir)
    {
        var d = dir;
        while (!Directory.Exists(d))
            d = Path.GetDirectoryName(d) ?? "/";
        return Linux.Native.Libc.access(d, 2 /* W_OK */) == 0;
    }

    public static void CreateDirectory(string dir)
    {
        try
        {
            Directory.CreateDirectory(dir);
        }
        catch (IOException e)
        {
            throw new RuncsException($"mkdir {dir}: {Describe(e)}");
        }
        catch (UnauthorizedAccessException)
        {
            throw new RuncsException($"mkdir {dir}: permission denied");
        }
    }

    /// <summary>
    /// A new v1 cpuset cgroup starts with empty cpus and mems, which refuses tasks;
    /// copy them down from the nearest ancestor that has them (as runc does).
    /// </summary>
    public static void InheritCpuset(string dir)
    {
        foreach (var file in new[] { "cpuset.cpus", "cpuset.mems" })
        {
            var chain = new Stack<string>();
            var d = dir;
            while (d is not null && TryRead(d, file) is { } v && v.Trim().Length == 0)
            {
                chain.Push(d);
                d = Path.GetDirectoryName(d);
            }
            if (d is null || TryRead(d, file) is not { } value)
                continue;
            while (chain.Count > 0)
                Write(chain.Pop(), file, value.Trim());
        }
    }

    /// <summary>Polls cgroup.events until key has value (v2 freeze completes asynchronously).</summary>
    public static void WaitForEvent(string dir, string key, string value, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var events = TryRead(dir, "cgroup.events") ?? "";
            if (events.Split('\n').Any(l => l == $"{key} {value}"))
                return;
            if (DateTime.UtcNow > deadline)
                throw new RuncsException($"{dir}: timed out waiting for {key} {value} in cgroup.events");
            Thread.Sleep(1);
        }
    }

    /// <summary>Removes a cgroup and its children, deepest first (rmdir only; cgroupfs refuses unlink).</summary>
    public static void RemoveTree(string dir)
    {
        if (!Directory.Exists(dir))
            return;
        foreach (var child in Directory.GetDirectories(dir))
            RemoveTree(child);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                Directory.Delete(dir);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException) when (attempt < 100)
            {
                // EBUSY while the last tasks are still exiting.
                Thread.Sleep(10);
            }
            catch (IOException e)
            {
                throw new RuncsException($"rmdir {dir}: {Describe(e)}");
            }
        }
    }

    private static string Describe(IOException e)
    {
        var m = e.Message;
        return m.Length > 0 ? char.ToLowerInvariant(m[0]) + m[1..].TrimEnd('.') : "i/o error";
    }
}
