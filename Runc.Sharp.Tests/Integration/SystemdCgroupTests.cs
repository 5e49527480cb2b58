using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>
/// --systemd-cgroup against a real systemd (<see cref="SystemdHost"/>): the container's
/// transient scope with Delegate, its limits as unit properties, nested slices, exec, and a
/// failed create or a delete that leave no unit and no cgroup.
/// </summary>
[TestFixture]
[NonParallelizable]
public class SystemdCgroupTests
{
    private SystemdHost _host = null!;

    [OneTimeSetUp]
    public void StartSystemd() => _host = new SystemdHost();

    [OneTimeTearDown]
    public void StopSystemd() => _host?.Dispose();

    private string Show(string unit, string property) =>
        _host.Inside("systemctl", "show", "--value", "-p", property, unit).Stdout.Trim();

    private string[] CgroupLines(string id)
    {
        var state = _host.Runcs("state", id);
        Assert.That(state.ExitCode, Is.Zero, state.ToString());
        var pid = JsonNode.Parse(state.Stdout)!["pid"]!.GetValue<int>();
        return _host.Inside("cat", $"/proc/{pid}/cgroup").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Directories named <paramref name="unit"/> under any hierarchy, as the machine sees them.</summary>
    private string[] CgroupDirs(string unit) =>
        _host.Inside("find", "/sys/fs/cgroup", "-maxdepth", "5", "-type", "d", "-name", unit).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>delete --force succeeds and leaves no unit, cgroup or state.</summary>
    private void DeleteLeavesNothing(string id, string unit)
    {
        var delete = _host.Runcs("delete", "--force", id);
        Assert.That(delete.ExitCode, Is.Zero, delete.ToString());
        AssertGone(id, unit);
    }

    private void AssertGone(string id, string unit)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Show(unit, "LoadState"), Is.EqualTo("not-found"), $"{unit} left in systemd");
            Assert.That(CgroupDirs(unit), Is.Empty, "cgroup left behind");
            Assert.That(_host.Runcs("list", "-q").Stdout, Does.Not.Contain(id), "state left behind");
        });
    }

    [Test]
    public void TheContainerRunsInATransientScopeWithDelegateUntilDelete()
    {
        var bundle = _host.Bundle(c =>
        {
            c["linux"]!["cgroupsPath"] = "system.slice:it:one";
            c["linux"]!["namespaces"]!.AsArray().Add(new JsonObject { ["type"] = "cgroup" });
        }, "sleep", "1000");
        var create = _host.Runcs("create", "--bundle", bundle, "one");
        Assert.That(create.ExitCode, Is.Zero, create.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(Show("it-one.scope", "ActiveState"), Is.EqualTo("active"));
            Assert.That(Show("it-one.scope", "Delegate"), Is.EqualTo("yes"));
            Assert.That(Show("it-one.scope", "Slice"), Is.EqualTo("system.slice"));
            Assert.That(Show("it-one.scope", "ControlGroup"), Is.EqualTo("/system.slice/it-one.scope"));
            // In every hierarchy, those systemd runs and those it leaves to runcs (cpuset, freezer…).
            Assert.That(CgroupLines("one"), Has.All.EndsWith(":/system.slice/it-one.scope"));
        });
        Assert.That(_host.Runcs("start", "one").ExitCode, Is.Zero);
        var exec = _host.Runcs("exec", "one", "cat", "/proc/self/cgroup");
        Assert.That(exec.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.All.EndsWith(":/"), "exec joins the container's cgroups (its cgroup namespace root)");
        DeleteLeavesNothing("one", "it-one.scope");
    }

    [Test]
    public void LimitsAreUnitPropertiesAndSurviveADaemonReloadAfterCreateAndUpdate()
    {
        var bundle = _host.Bundle(c =>
        {
            c["linux"]!["cgroupsPath"] = "system.slice:it:limits";
            c["linux"]!["resources"] = JsonNode.Parse("""{"memory": {"limit": 67108864}, "cpu": {"shares": 512, "quota": 50000, "period": 100000}, "pids": {"limit": 64}}""");
        }, "sleep", "1000");
        Assert.That(_host.Runcs("run", "-d", "--bundle", bundle, "limits").ExitCode, Is.Zero);
        const string dir = "system.slice/it-limits.scope";
        string Limits() => _host.Inside("sh", "-c",
            $"cat /sys/fs/cgroup/memory/{dir}/memory.limit_in_bytes /sys/fs/cgroup/cpu/{dir}/cpu.shares /sys/fs/cgroup/cpu/{dir}/cpu.cfs_quota_us /sys/fs/cgroup/pids/{dir}/pids.max").Stdout;
        const string expected = "67108864\n512\n50000\n64\n";
        Assert.That(Limits(), Is.EqualTo(expected));
        Assert.That(_host.Inside("systemctl", "daemon-reload").ExitCode, Is.Zero);
        Assert.Multiple(() =>
        {
            Assert.That(Limits(), Is.EqualTo(expected), "a daemon-reload rewrote the limits from the unit");
            Assert.That(Show("it-limits.scope", "MemoryLimit"), Is.EqualTo("67108864"));
            Assert.That(Show("it-limits.scope", "TasksMax"), Is.EqualTo("64"));
            Assert.That(Show("it-limits.scope", "CPUQuotaPerSecUSec"), Is.EqualTo("500ms"));
        });
        var update = _host.Runcs("update", "--memory", "134217728", "--pids-limit", "32", "limits");
        Assert.That(update.ExitCode, Is.Zero, update.ToString());
        Assert.That(_host.Inside("systemctl", "daemon-reload").ExitCode, Is.Zero);
        Assert.That(Limits(), Is.EqualTo("134217728\n512\n50000\n32\n"), "a daemon-reload undid update");
        DeleteLeavesNothing("limits", "it-limits.scope");
    }

    [Test]
    public void DeviceRulesAreUnitPropertiesAndSurviveADaemonReload()
    {
        var bundle = _host.Bundle(c => c["linux"]!["cgroupsPath"] = "it-dev.slice:it:devices", "sleep", "1000");
        Assert.That(_host.Runcs("run", "-d", "--bundle", bundle, "devices").ExitCode, Is.Zero);
        string List() => _host.Inside("cat", "/sys/fs/cgroup/devices/it.slice/it-dev.slice/it-devices.scope/devices.list").Stdout;
        var before = List();
        Assert.That(before, Does.Contain("c 1:3 rwm").And.Contain("c 136:* rwm").And.Not.Contain("a *:* rwm"));
        Assert.That(_host.Inside("systemctl", "daemon-reload").ExitCode, Is.Zero);
        Assert.Multiple(() =>
        {
            Assert.That(List().Split('\n').Order(), Is.EqualTo(before.Split('\n').Order()), "a daemon-reload changed the device rules");
            Assert.That(Show("it-devices.scope", "DevicePolicy"), Is.EqualTo("strict"));
        });
        DeleteLeavesNothing("devices", "it-devices.scope");
    }

    [Test]
    public void AContainerAllowedEveryDeviceHasNoDevicesCgroupOfItsOwn()
    {
        var bundle = _host.Bundle(c =>
        {
            c["linux"]!["cgroupsPath"] = "it-priv.slice:it:privileged";
            c["linux"]!["resources"] = JsonNode.Parse("""{"devices": [{"allow": true, "access": "rwm"}]}""");
        }, "sleep", "1000");
        var run = _host.Runcs("run", "-d", "--bundle", bundle, "privileged");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(CgroupLines("privileged").Single(l => l.Contains(":devices:")), Does.Not.EndWith("it-privileged.scope"));
        DeleteLeavesNothing("privileged", "it-privileged.scope");
    }

    [Test]
    public void ANestedSliceIsExpandedAsSystemdNestsIt()
    {
        var bundle = _host.Bundle(c => c["linux"]!["cgroupsPath"] = "it-nested.slice:p:x", "sleep", "1000");
        var create = _host.Runcs("create", "--bundle", bundle, "nested");
        Assert.That(create.ExitCode, Is.Zero, create.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(Show("p-x.scope", "ControlGroup"), Is.EqualTo("/it.slice/it-nested.slice/p-x.scope"));
            Assert.That(CgroupLines("nested"), Has.All.EndsWith(":/it.slice/it-nested.slice/p-x.scope"));
        });
        DeleteLeavesNothing("nested", "p-x.scope");
    }

    [Test]
    public void ACreateThatFailsAfterTheScopeStartedLeavesNoUnit()
    {
        var bundle = _host.Bundle(c => c["linux"]!["cgroupsPath"] = "system.slice:it:fails", "/no/such/program");
        var create = _host.Runcs("create", "--bundle", bundle, "fails");
        Assert.That(create.ExitCode, Is.Not.Zero);
        Assert.That(create.Stderr, Does.Contain("/no/such/program"), create.ToString());
        AssertGone("fails", "it-fails.scope");
    }

    [TestCase("nocolons", "expected \"slice:prefix:name\"")]
    [TestCase("system.slice:p:x.slice", "a slice as the container's own unit is not supported")]
    [TestCase("bad--name.slice:p:x", "is not a valid slice name")]
    [TestCase("notaslice:p:x", "is not a slice name")]
    public void AMalformedCgroupsPathIsRefusedBeforeAnythingExists(string cgroupsPath, string message)
    {
        var bundle = _host.Bundle(c => c["linux"]!["cgroupsPath"] = cgroupsPath, "true");
        var run = _host.Runcs("run", "--bundle", bundle, "malformed");
        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Stderr.Trim(), Does.StartWith("runcs: run failed: linux.cgroupsPath").And.Contain(message), run.ToString());
        Assert.That(_host.Runcs("list", "-q").Stdout, Does.Not.Contain("malformed"));
    }

    [Test]
    public void WithoutSystemdTheFlagIsAClearError()
    {
        Assume.That(Directory.Exists("/run/systemd/system"), Is.False, "this host runs systemd itself");
        using var b = new TestBundle("true");
        var r = b.Runcs("--systemd-cgroup", "run", "--bundle", b.Dir, b.Id);
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr.Trim(), Is.EqualTo("runcs: run failed: --systemd-cgroup: systemd is not running on this host (no /run/systemd/system)"));
        Assert.That(Directory.Exists(Path.Combine(b.StateRoot, b.Id)), Is.False);
    }
}
