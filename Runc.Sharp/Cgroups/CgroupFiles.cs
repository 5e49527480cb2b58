using System.Globalization;

namespace Runc.Sharp.Cgroups;

/// <summary>Reads and writes of cgroupfs files, with errors that name the file.</summary>
public static class CgroupFiles
{
    public static void Write(string dir, string file, string value)
    {
        var path = Path.Combine(dir, file);
        try
        {
            File.WriteAllText(path, value);
        }
        catch (IOException e)
        {
            throw new RuncsException($"write {path}: {Describe(e)}");
        }
        catch (UnauthorizedAccessException)
        {
            throw new RuncsException($"write {path}: permission denied");
        }
    }

    public static string Read(string dir, string file) =>
        TryRead(dir, file) ?? throw new RuncsException($"read {Path.Combine(dir, file)}: no such file or directory");

    public static string? TryRead(string dir, string file)
    {
        try
        {
            return File.ReadAllText(Path.Combine(dir, file));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
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
