using System.Text.Json;
using Runc.Sharp.Cgroups;
using Runc.Sharp.Cgroups.Stats;

namespace Runc.Sharp.Lifecycle;

/// <summary>
/// `events`: the container's stats as one JSON line (--stats), or a line every interval
/// plus an "oom" line whenever the cgroup's OOM-kill counter grows, until the container stops.
/// </summary>
public static class EventsReporter
{
    public static int Run(RuntimeOptions o, string id, TimeSpan interval, bool once)
    {
        var state = o.Store.Read(id);
        if (StatusDeriver.Derive(o.Store, state) == ContainerStatus.Stopped)
            throw new RuncsException($"container with id {id} is not running");
        var paths = state.CgroupPaths ?? new Dictionary<string, string>();
        var reader = new StatsReader(paths);
        if (once)
        {
            Emit(new ContainerEvent("stats", id, reader.Read()));
            return 0;
        }
        ulong ooms = OomKills(paths);
        void ReportOoms()
        {
            var now = OomKills(paths);
            if (now > ooms)
                Emit(new ContainerEvent("oom", id, null));
            ooms = Math.Max(ooms, now);
        }
        while (StatusDeriver.InitAlive(state))
        {
            Emit(new ContainerEvent("stats", id, reader.Read()));
            var deadline = DateTime.UtcNow + interval;
            while (DateTime.UtcNow < deadline && StatusDeriver.InitAlive(state))
            {
                ReportOoms();
                Thread.Sleep(TimeSpan.FromMilliseconds(Math.Min(50, interval.TotalMilliseconds)));
            }
        }
        // An OOM kill that stopped the container is counted as it dies.
        ReportOoms();
        return 0;
    }

    private static void Emit(ContainerEvent e)
    {
        Console.Out.Write(JsonSerializer.Serialize(e, StatsJson.Default.ContainerEvent) + "\n");
        Console.Out.Flush();
    }

    /// <summary>The OOM kills so far: memory.oom_control's oom_kill (v1) or memory.events' oom_kill (v2).</summary>
    public static ulong OomKills(IReadOnlyDictionary<string, string> paths)
    {
        var (dir, file) = paths.TryGetValue("memory", out var v1) ? (v1, "memory.oom_control") : (paths.GetValueOrDefault(""), "memory.events");
        if (dir is null)
            return 0;
        foreach (var line in (CgroupFiles.TryRead(dir, file) ?? "").Split('\n'))
        {
            var kv = line.Split(' ');
            if (kv.Length == 2 && kv[0] == "oom_kill" && ulong.TryParse(kv[1], out var n))
                return n;
        }
        return 0;
    }

    /// <summary>Go-style durations runc accepts for --interval: "5s", "500ms", "1m", "1m30s".</summary>
    public static TimeSpan ParseInterval(string text)
    {
        var total = TimeSpan.Zero;
        int i = 0;
        if (text.Length == 0)
            throw new RuncsException("--interval: empty duration");
        while (i < text.Length)
        {
            int start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                i++;
            if (start == i || !double.TryParse(text[start..i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n))
                throw new RuncsException($"--interval: invalid duration \"{text}\"");
            int unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]))
                i++;
            total += text[unitStart..i] switch
            {
                "ns" => TimeSpan.FromTicks((long)(n / 100)),
                "us" or "µs" => TimeSpan.FromTicks((long)(n * 10)),
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                _ => throw new RuncsException($"--interval: invalid duration \"{text}\""),
            };
        }
        if (total <= TimeSpan.Zero)
            throw new RuncsException("--interval: duration must be greater than 0");
        return total;
    }
}
