using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>linux.resources enforced by the host's real cgroups (v1 controllers here), update and events.</summary>
[TestFixture]
[NonParallelizable]
public class CgroupTests
{
    private static string CgroupFile(TestBundle b, string controller, string file)
    {
        var pid = b.State()["pid"]!.GetValue<int>();
        var line = File.ReadAllLines($"/proc/{pid}/cgroup").FirstOrDefault(l => l.Split(':')[1].Split(',').Contains(controller));
        Assert.That(line, Is.Not.Null, $"{controller} controller not mounted on this host");
        var mount = Directory.Exists($"/sys/fs/cgroup/{controller}") ? $"/sys/fs/cgroup/{controller}" : "/sys/fs/cgroup";
        return Path.Combine(mount + line!.Split(':')[2], file);
    }

    /// <summary>
    /// The init and an exec'd process enter the container's cgroup in every hierarchy,
    /// v1 and unified: the cloned child moves itself there (Launch/ChildCgroups.cs).
    /// </summary>
    [Test]
    public void InitAndExecdProcessAreInTheContainersCgroupInEveryHierarchy()
    {
        using var b = new TestBundle("sleep", "1000");
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        var pidFile = Path.Combine(b.Dir, "exec.pid");
        Assert.That(b.Runcs("exec", "-d", "--pid-file", pidFile, b.Id, "sleep", "1000").ExitCode, Is.Zero);
        var init = b.State()["pid"]!.GetValue<int>();
        var execd = int.Parse(File.ReadAllText(pidFile));
        var hierarchies = File.ReadAllLines("/proc/self/cgroup").Length;
        foreach (var pid in new[] { init, execd })
        {
            var lines = File.ReadAllLines($"/proc/{pid}/cgroup");
            Assert.That(lines, Has.Length.EqualTo(hierarchies));
            Assert.That(lines.Where(l => !l.EndsWith("/" + b.Id, StringComparison.Ordinal)), Is.Empty, $"pid {pid}: {string.Join("; ", lines)}");
        }
        Assert.That(b.Runcs("delete", "-f", b.Id).ExitCode, Is.Zero);
        Assert.That(b.CgroupDirs(), Is.Empty);
    }

    [Test]
    public void PidsLimitMakesForkFail()
    {
        using var b = new TestBundle("sh", "-c", "for i in 1 2 3 4 5 6 7 8; do sleep 5 & done; wait; echo done");
        b.Linux["resources"]!["pids"] = new JsonObject { ["limit"] = 4 };
        var r = b.Run();
        Assert.That(r.Stderr, Does.Contain("can't fork").Or.Contain("Resource temporarily unavailable"), r.ToString());
    }

    [Test]
    public void MemoryLimitOomKillsAndEventsReportIt()
    {
        using var b = new TestBundle("sh", "-c", "sleep 1; exec tail /dev/zero");
        b.Linux["resources"]!["memory"] = new JsonObject { ["limit"] = 16 * 1024 * 1024 };
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        Assert.That(File.ReadAllText(CgroupFile(b, "memory", "memory.limit_in_bytes")).Trim(), Is.EqualTo((16 * 1024 * 1024).ToString()));
        var events = Task.Run(() => b.Runcs("events", "--interval", "200ms", b.Id));
        Assert.That(events.Wait(TimeSpan.FromSeconds(30)), Is.True, "events ends when the container stops");
        var lines = events.Result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.That(lines.Any(l => l["type"]!.GetValue<string>() == "oom"), Is.True, events.Result.ToString());
        Assert.That(lines.First()["type"]!.GetValue<string>(), Is.EqualTo("stats"));
        Assert.That(b.Runcs("delete", "-f", b.Id).ExitCode, Is.Zero);
    }

    [Test]
    public void EventsStatsHasRuncsShape()
    {
        using var b = new TestBundle("sleep", "300");
        b.Linux["resources"]!["pids"] = new JsonObject { ["limit"] = 50 };
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        var r = b.Runcs("events", "--stats", b.Id);
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1));
        var e = JsonNode.Parse(r.Stdout)!;
        Assert.That(e["type"]!.GetValue<string>(), Is.EqualTo("stats"));
        Assert.That(e["id"]!.GetValue<string>(), Is.EqualTo(b.Id));
        var data = e["data"]!;
        Assert.That(data["pids"]!["current"]!.GetValue<ulong>(), Is.EqualTo(1UL));
        Assert.That(data["pids"]!["limit"]!.GetValue<ulong>(), Is.EqualTo(50UL));
        Assert.That(data["memory"]!["usage"]!["usage"]!.GetValue<ulong>(), Is.GreaterThan(0UL));
        Assert.That(data["cpu"]!["usage"]!["total"]!.GetValue<ulong>(), Is.GreaterThan(0UL));
        Assert.That(b.Runcs("delete", "-f", b.Id).ExitCode, Is.Zero);
        var stopped = b.Runcs("events", "--stats", b.Id);
        Assert.That(stopped.ExitCode, Is.EqualTo(1));
    }

    [Test]
    public void UpdateRaisesALimitLive()
    {
        using var b = new TestBundle("sleep", "300");
        b.Linux["resources"]!["pids"] = new JsonObject { ["limit"] = 10 };
        b.Linux["resources"]!["cpu"] = new JsonObject { ["quota"] = 20000, ["period"] = 100000 };
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        Assert.That(File.ReadAllText(CgroupFile(b, "pids", "pids.max")).Trim(), Is.EqualTo("10"));
        Assert.That(File.ReadAllText(CgroupFile(b, "cpu", "cpu.cfs_quota_us")).Trim(), Is.EqualTo("20000"));
        var u = b.Runcs("update", "--pids-limit", "20", "--cpu-quota", "50000", b.Id);
        Assert.That(u.ExitCode, Is.Zero, u.ToString());
        Assert.That(File.ReadAllText(CgroupFile(b, "pids", "pids.max")).Trim(), Is.EqualTo("20"));
        Assert.That(File.ReadAllText(CgroupFile(b, "cpu", "cpu.cfs_quota_us")).Trim(), Is.EqualTo("50000"));
        var fromStdin = b.RunWith("{\"memory\":{\"limit\":33554432}}", "update", "--resources=-", b.Id);
        Assert.That(fromStdin.ExitCode, Is.Zero, fromStdin.ToString());
        Assert.That(File.ReadAllText(CgroupFile(b, "memory", "memory.limit_in_bytes")).Trim(), Is.EqualTo("33554432"));
        var spaced = b.RunWith("{\"pids\":{\"limit\":30}}", "update", "--resources", "-", b.Id);
        Assert.That(spaced.ExitCode, Is.Zero, spaced.ToString());
        Assert.That(File.ReadAllText(CgroupFile(b, "pids", "pids.max")).Trim(), Is.EqualTo("30"));
        Assert.That(b.Runcs("delete", "-f", b.Id).ExitCode, Is.Zero);
    }

    [Test]
    public void CheckBeforeUpdateRefusesALimitBelowUsage()
    {
        // 16 MiB written to the container's /dev/shm are charged to its memory cgroup.
        using var b = new TestBundle("sh", "-c", "dd if=/dev/zero of=/dev/shm/fill bs=1M count=16 2>/dev/null; sleep 300");
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        var limitFile = CgroupFile(b, "memory", "memory.limit_in_bytes");
        LifecycleTests.WaitFor(() => long.Parse(File.ReadAllText(CgroupFile(b, "memory", "memory.usage_in_bytes"))) > 16 << 20);
        var before = File.ReadAllText(limitFile).Trim();
        var refused = b.RunWith("{\"memory\":{\"limit\":8388608,\"checkBeforeUpdate\":true}}", "update", "-r", "-", b.Id);
        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
        Assert.That(refused.Stderr, Does.Contain("linux.resources.memory.limit 8388608: below the container's current memory usage"));
        Assert.That(File.ReadAllText(limitFile).Trim(), Is.EqualTo(before), "a refused update writes nothing");
        var allowed = b.RunWith("{\"memory\":{\"limit\":268435456,\"checkBeforeUpdate\":true}}", "update", "-r", "-", b.Id);
        Assert.That(allowed.ExitCode, Is.Zero, allowed.ToString());
        Assert.That(File.ReadAllText(limitFile).Trim(), Is.EqualTo("268435456"));
        Assert.That(b.Runcs("delete", "-f", b.Id).ExitCode, Is.Zero);
    }

    [TestCase(false, "denied")]
    [TestCase(true, "opened")]
    public void DeviceRulesDecideWhetherAHostDeviceOpens(bool allow, string expected)
    {
        // /dev/loop-control (c 10:237) bind-mounted from the host is neither a default device
        // nor in linux.devices, so only linux.resources.devices decides (the default config denies all).
        using var b = new TestBundle("sh", "-c", "(exec 3</dev/loop-control) 2>/dev/null && echo opened || echo denied");
        b.Config["mounts"]!.AsArray().Add(new JsonObject
        {
            ["destination"] = "/dev/loop-control", ["type"] = "bind", ["source"] = "/dev/loop-control", ["options"] = new JsonArray("bind"),
        });
        if (allow)
            b.Linux["resources"]!["devices"]!.AsArray().Add(new JsonObject { ["allow"] = true, ["type"] = "c", ["major"] = 10, ["minor"] = 237, ["access"] = "r" });
        var r = b.Run();
        Assert.That(r.Stdout, Is.EqualTo(expected + "\n"), r.ToString());
    }

    [Test]
    public void ADeviceOfLinuxDevicesIsNotAllowedByItself()
    {
        // runc's suite, dev.bats "device cgroup deny": /dev/kmsg is created, the cgroup still denies it.
        using var b = new TestBundle("sh", "-c", "echo x > /dev/kmsg && echo written || echo denied");
        b.Linux["devices"] = new JsonArray(new JsonObject { ["path"] = "/dev/kmsg", ["type"] = "c", ["major"] = 1, ["minor"] = 11 });
        b.Process["capabilities"]!["bounding"]!.AsArray().Add("CAP_SYSLOG");
        b.Process["capabilities"]!["effective"]!.AsArray().Add("CAP_SYSLOG");
        b.Process["capabilities"]!["permitted"]!.AsArray().Add("CAP_SYSLOG");
        var r = b.Run();
        Assert.That(r.Stdout, Is.EqualTo("denied\n"), r.ToString());
    }

    [Test]
    public void AShorterPeriodUnderAParentQuotaIsWrittenAfterTheQuota()
    {
        // runc's suite, update.bats "update cpu period in a pod cgroup with pod limit set".
        using var b = new TestBundle("sleep", "300");
        var pod = $"/runcs-it-pod-{b.Id}";
        Directory.CreateDirectory("/sys/fs/cgroup/cpu" + pod);
        try
        {
            File.WriteAllText($"/sys/fs/cgroup/cpu{pod}/cpu.cfs_quota_us", "50000");
            b.Linux["cgroupsPath"] = pod + "/c";
            Assert.That(b.Run("-d").ExitCode, Is.Zero);
            Assert.That(b.Runcs("update", "--cpu-quota", "60000", b.Id).ExitCode, Is.EqualTo(1), "above the pod's 50%");
            var r = b.Runcs("update", "--cpu-period", "10000", "--cpu-quota", "3000", b.Id);
            Assert.That(r.ExitCode, Is.Zero, r.ToString());
            Assert.That(File.ReadAllText($"/sys/fs/cgroup/cpu{pod}/c/cpu.cfs_period_us").Trim(), Is.EqualTo("10000"));
            Assert.That(File.ReadAllText($"/sys/fs/cgroup/cpu{pod}/c/cpu.cfs_quota_us").Trim(), Is.EqualTo("3000"));
            b.Runcs("delete", "-f", b.Id);
        }
        finally
        {
            foreach (var hierarchy in Directory.GetDirectories("/sys/fs/cgroup"))
            {
                if (Directory.Exists(hierarchy + pod + "/c"))
                    Directory.Delete(hierarchy + pod + "/c");
                if (Directory.Exists(hierarchy + pod))
                    Directory.Delete(hierarchy + pod);
            }
        }
    }
}
