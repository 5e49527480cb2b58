using System.Text.Json.Nodes;
using NUnit.Framework;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Tests.Unit;

public class ValidationTests
{
    [Test]
    public void MinimalConfigIsValid() =>
        Assert.That(SpecValidator.Validate(SpecText.Parse(SpecText.Minimal().ToJsonString())), Is.Empty);

    [Test]
    public void EmptyArgs() =>
        AssertExactly(d => d["process"]!["args"] = new JsonArray(), "config.json: process.args: must not be empty");

    [Test]
    public void UnknownNamespaceNamesItsIndex() =>
        AssertExactly(d => d["linux"]!["namespaces"]!.AsArray().Add(new JsonObject { ["type"] = "pdi" }),
            "config.json: linux.namespaces[2].type: unknown namespace \"pdi\"");

    [Test]
    public void UnsupportedVersion() =>
        AssertExactly(d => d["ociVersion"] = "2.0.0",
            "config.json: ociVersion \"2.0.0\": unsupported (runcs supports 1.0.0–1.3.x)");

    [Test]
    public void RelativeCwd() =>
        AssertExactly(d => d["process"]!["cwd"] = "work", "config.json: process.cwd: \"work\" must be an absolute path");

    [Test]
    public void EnvWithoutEquals() =>
        AssertExactly(d => d["process"]!["env"] = new JsonArray("A=1", "NOVALUE"),
            "config.json: process.env[1]: \"NOVALUE\" is not of the form KEY=VALUE");

    [Test]
    public void UnknownCapabilityIsAWarningNotAnError()
    {
        // runc and the runtime-spec: capabilities the kernel cannot grant are logged and ignored.
        var doc = SpecText.Minimal();
        doc["process"]!["capabilities"] = new JsonObject { ["effective"] = new JsonArray("CAP_KILL", "CAP_FLY") };
        var spec = SpecText.Parse(doc.ToJsonString());
        Assert.That(SpecValidator.Validate(spec), Is.Empty);
        Assert.That(ProcessChecks.CapabilityNames(spec).Select(e => e.ToString()),
            Is.EqualTo(new[] { "process.capabilities.effective[1]: unknown capability \"CAP_FLY\"" }));
    }

    [Test]
    public void DuplicateRlimit() =>
        AssertExactly(d => d["process"]!["rlimits"] = new JsonArray(Rlimit("RLIMIT_NOFILE", 10, 10), Rlimit("RLIMIT_NOFILE", 20, 20)),
            "config.json: process.rlimits[1].type: \"RLIMIT_NOFILE\" is given more than once");

    // config.md: a destination SHOULD be absolute, a relative one is read relative to "/".
    [Test]
    public void RelativeMountDestinationIsAccepted()
    {
        var doc = SpecText.Minimal();
        doc["mounts"] = new JsonArray(new JsonObject { ["destination"] = "proc", ["type"] = "proc" });
        Assert.That(SpecValidator.Validate(SpecText.Parse(doc.ToJsonString())), Is.Empty);
    }

    // config.md: consoleSize MUST be ignored when terminal is false.
    [Test]
    public void ConsoleSizeWithoutTerminalIsIgnored()
    {
        var doc = SpecText.Minimal();
        doc["process"]!["consoleSize"] = new JsonObject { ["height"] = 1, ["width"] = 1 };
        Assert.That(SpecValidator.Validate(SpecText.Parse(doc.ToJsonString())), Is.Empty);
    }

    [Test]
    public void RelativeHookPath() =>
        AssertExactly(d => d["hooks"] = new JsonObject { ["poststop"] = new JsonArray(new JsonObject { ["path"] = "bin/hook" }) },
            "config.json: hooks.poststop[0].path: \"bin/hook\" must be an absolute path");

    [Test]
    public void MappingsWithoutUserNamespace() =>
        AssertExactly(d => d["linux"]!["uidMappings"] = new JsonArray(Mapping()),
            "config.json: linux.uidMappings: id mappings need a user namespace in linux.namespaces");

    [Test]
    public void HostnameWithoutUts() =>
        AssertExactly(d => d["hostname"] = "box",
            "config.json: hostname: setting a hostname needs a uts namespace in linux.namespaces");

    [Test]
    public void BadDeviceType() =>
        AssertExactly(d => d["linux"]!["devices"] = new JsonArray(new JsonObject { ["type"] = "x", ["path"] = "/dev/x" }),
            "config.json: linux.devices[0].type: unknown device type \"x\" (c, b, u or p)");


    [Test]
    public void NetSysctlWithoutNetworkNamespace() =>
        AssertExactly(d => d["linux"]!["sysctl"] = new JsonObject { ["net.ipv4.ip_forward"] = "1" },
            "config.json: linux.sysctl.net.ipv4.ip_forward: needs a network namespace in linux.namespaces");

    [Test]
    public void BadRootfsPropagation() =>
        AssertExactly(d => d["linux"]!["rootfsPropagation"] = "rsharedd",
            "config.json: linux.rootfsPropagation: unknown propagation \"rsharedd\"");

    [Test]
    public void BadSeccompAction() =>
        AssertExactly(d => d["linux"]!["seccomp"] = new JsonObject { ["defaultAction"] = "SCMP_ACT_MAYBE" },
            "config.json: linux.seccomp.defaultAction: unknown action \"SCMP_ACT_MAYBE\"");

    [Test]
    public void BadSeccompOperator() =>
        AssertExactly(d => d["linux"]!["seccomp"] = Seccomp(call => call["args"] = new JsonArray(new JsonObject { ["index"] = 0, ["op"] = "SCMP_CMP_ABOUT" })),
            "config.json: linux.seccomp.syscalls[0].args[0].op: unknown operator \"SCMP_CMP_ABOUT\"");

    [Test]
    public void BadSeccompArchitecture() =>
        AssertExactly(d => d["linux"]!["seccomp"] = new JsonObject
        {
            ["defaultAction"] = "SCMP_ACT_ALLOW",
            ["architectures"] = new JsonArray("SCMP_ARCH_X86_64", "SCMP_ARCH_Z80"),
        }, "config.json: linux.seccomp.architectures[1]: unknown architecture \"SCMP_ARCH_Z80\"");

    // Every check, by the path it must report. Each mutation breaks exactly one rule of the minimal config.
    private static IEnumerable<TestCaseData> SingleRuleViolations()
    {
        TestCaseData Case(string path, Action<JsonObject> mutate, string name) =>
            new TestCaseData(mutate, path).SetName($"Violation_{name}");

        yield return Case("ociVersion", d => d.Remove("ociVersion"), "MissingVersion");
        yield return Case("root", d => d.Remove("root"), "MissingRoot");
        yield return Case("root.path", d => d["root"]!["path"] = "", "EmptyRootPath");
        yield return Case("process", d => d.Remove("process"), "MissingProcess");
        yield return Case("process.args", d => d["process"]!.AsObject().Remove("args"), "MissingArgs");
        yield return Case("process.env[0]", d => d["process"]!["env"] = new JsonArray("=x"), "EnvEmptyKey");
        yield return Case("process.rlimits[0].type", d => d["process"]!["rlimits"] = new JsonArray(Rlimit("RLIMIT_FILES", 1, 1)), "UnknownRlimit");
        yield return Case("process.rlimits[0]", d => d["process"]!["rlimits"] = new JsonArray(Rlimit("RLIMIT_CORE", soft: 2, hard: 1)), "SoftAboveHard");
        yield return Case("process.oomScoreAdj", d => d["process"]!["oomScoreAdj"] = 1001, "OomTooHigh");
        yield return Case("process.oomScoreAdj", d => d["process"]!["oomScoreAdj"] = -1001, "OomTooLow");
        yield return Case("process.ioPriority.class", d => d["process"]!["ioPriority"] = new JsonObject { ["class"] = "IOPRIO_CLASS_NONE" }, "IoClass");
        yield return Case("process.ioPriority.priority", d => d["process"]!["ioPriority"] = new JsonObject { ["class"] = "IOPRIO_CLASS_BE", ["priority"] = 8 }, "IoPriority");
        yield return Case("process.scheduler.policy", d => d["process"]!["scheduler"] = new JsonObject { ["policy"] = "SCHED_FAST" }, "SchedulerPolicy");
        yield return Case("mounts[0].destination", d => d["mounts"] = new JsonArray(new JsonObject { ["type"] = "tmpfs" }), "MountWithoutDestination");
        yield return Case("mounts[0]", d => d["mounts"] = new JsonArray(new JsonObject { ["destination"] = "/m", ["uidMappings"] = new JsonArray(Mapping()) }), "UidMappingsWithoutGid");
        yield return Case("mounts[0]", d => d["mounts"] = new JsonArray(new JsonObject
        {
            ["destination"] = "/m", ["type"] = "tmpfs", ["uidMappings"] = new JsonArray(Mapping()), ["gidMappings"] = new JsonArray(Mapping()),
        }), "IdMappedMountWithoutBind");
        yield return Case("hooks.prestart[0].path", d => d["hooks"] = new JsonObject { ["prestart"] = new JsonArray(new JsonObject()) }, "HookWithoutPath");
        yield return Case("hooks.createRuntime[0].timeout", d => d["hooks"] = new JsonObject { ["createRuntime"] = new JsonArray(new JsonObject { ["path"] = "/h", ["timeout"] = 0 }) }, "HookZeroTimeout");
        yield return Case("hooks.startContainer[1].timeout", d => d["hooks"] = new JsonObject
        {
            ["startContainer"] = new JsonArray(new JsonObject { ["path"] = "/h" }, new JsonObject { ["path"] = "/h", ["timeout"] = -3 }),
        }, "HookNegativeTimeout");
        yield return Case("linux.namespaces[2].type", d => Namespaces(d).Add(new JsonObject { ["type"] = "pid" }), "DuplicateNamespace");
        yield return Case("linux.namespaces[2].type", d => Namespaces(d).Add(new JsonObject { ["type"] = "net" }), "NetIsNotANamespaceName");
        yield return Case("linux.namespaces[2].path", d => Namespaces(d).Add(new JsonObject { ["type"] = "ipc", ["path"] = "proc/1/ns/ipc" }), "RelativeNamespacePath");
        yield return Case("linux.uidMappings", d =>
        {
            Namespaces(d).Add(new JsonObject { ["type"] = "user" });
            d["linux"]!["gidMappings"] = new JsonArray(Mapping());
        }, "UserNamespaceWithoutUidMappings");
        yield return Case("linux.gidMappings", d =>
        {
            Namespaces(d).Add(new JsonObject { ["type"] = "user" });
            d["linux"]!["uidMappings"] = new JsonArray(Mapping());
        }, "UserNamespaceWithoutGidMappings");
        yield return Case("domainname", d => d["domainname"] = "example.org", "DomainnameWithoutUts");
        yield return Case("linux.timeOffsets", d => d["linux"]!["timeOffsets"] = Offsets("monotonic", 0), "TimeOffsetsWithoutTimeNamespace");
        yield return Case("linux.timeOffsets", d =>
        {
            Namespaces(d).Add(new JsonObject { ["type"] = "time", ["path"] = "/proc/1/ns/time" });
            d["linux"]!["timeOffsets"] = Offsets("monotonic", 0);
        }, "TimeOffsetsWithJoinedTimeNamespace");
        yield return Case("linux.timeOffsets.realtime", d =>
        {
            Namespaces(d).Add(new JsonObject { ["type"] = "time" });
            d["linux"]!["timeOffsets"] = Offsets("realtime", 0);
        }, "TimeOffsetUnknownClock");
        yield return Case("linux.timeOffsets.boottime.nanosecs", d =>
        {
            Namespaces(d).Add(new JsonObject { ["type"] = "time" });
            d["linux"]!["timeOffsets"] = Offsets("boottime", 1_000_000_000);
        }, "TimeOffsetNanosecsTooLarge");
        yield return Case("linux.devices[0].path", d => d["linux"]!["devices"] = new JsonArray(new JsonObject { ["type"] = "c", ["path"] = "/tmp/null" }), "DeviceOutsideDev");
        yield return Case("linux.devices[0].path", d => d["linux"]!["devices"] = new JsonArray(new JsonObject { ["type"] = "c", ["path"] = "dev/null" }), "DeviceRelative");
        yield return Case("linux.devices[0]", d => d["linux"]!["devices"] = new JsonArray(new JsonObject { ["type"] = "c", ["path"] = "/dev/null", ["major"] = -1 }), "DeviceNegativeMajor");
        yield return Case("linux.resources.devices[0].type", d => d["linux"]!["resources"] = new JsonObject { ["devices"] = new JsonArray(new JsonObject { ["type"] = "u" }) }, "DeviceRuleType");
        yield return Case("linux.sysctl.kernel.shmmax", d => d["linux"]!["sysctl"] = new JsonObject { ["kernel.shmmax"] = "1" }, "IpcSysctlWithoutIpc");
        yield return Case("linux.sysctl.fs.mqueue.queues_max", d => d["linux"]!["sysctl"] = new JsonObject { ["fs.mqueue.queues_max"] = "1" }, "MqueueSysctlWithoutIpc");
        yield return Case("linux.sysctl.kernel.hostname", d => d["linux"]!["sysctl"] = new JsonObject { ["kernel.hostname"] = "x" }, "HostnameSysctlWithoutUts");
        yield return Case("linux.sysctl.vm/../x", d => d["linux"]!["sysctl"] = new JsonObject { ["vm/../x"] = "1" }, "SysctlDotDot");
        yield return Case("linux.maskedPaths[1]", d => d["linux"]!["maskedPaths"] = new JsonArray("/proc/kcore", "proc/keys"), "RelativeMaskedPath");
        yield return Case("linux.readonlyPaths[0]", d => d["linux"]!["readonlyPaths"] = new JsonArray(""), "EmptyReadonlyPath");
        yield return Case("linux.personality.domain", d => d["linux"]!["personality"] = new JsonObject { ["domain"] = "LINUX64" }, "PersonalityDomain");
        yield return Case("linux.memoryPolicy.mode", d => d["linux"]!["memoryPolicy"] = new JsonObject { ["mode"] = "MPOL_ANY" }, "MemoryPolicyMode");
        yield return Case("linux.memoryPolicy.flags[0]", d => d["linux"]!["memoryPolicy"] = new JsonObject { ["mode"] = "MPOL_BIND", ["nodes"] = "0", ["flags"] = new JsonArray("MPOL_F_X") }, "MemoryPolicyFlag");
        yield return Case("linux.seccomp.flags[0]", d => d["linux"]!["seccomp"] = new JsonObject { ["defaultAction"] = "SCMP_ACT_ALLOW", ["flags"] = new JsonArray("SECCOMP_FILTER_FLAG_FAST") }, "SeccompFlag");
        yield return Case("linux.seccomp.syscalls[0].names", d => d["linux"]!["seccomp"] = Seccomp(call => call.Remove("names")), "SeccompNoNames");
        yield return Case("linux.seccomp.syscalls[0].action", d => d["linux"]!["seccomp"] = Seccomp(call => call["action"] = "SCMP_ACT_PERHAPS"), "SeccompSyscallAction");
        yield return Case("linux.seccomp.syscalls[0].args[0].index", d => d["linux"]!["seccomp"] = Seccomp(call => call["args"] = new JsonArray(new JsonObject { ["index"] = 6, ["op"] = "SCMP_CMP_EQ" })), "SeccompArgIndex");
        yield return Case("linux.seccomp.listenerPath", d => d["linux"]!["seccomp"] = Seccomp(call => call["action"] = "SCMP_ACT_NOTIFY"), "SeccompNotifyWithoutListener");
        yield return Case("linux.seccomp.syscalls[0].names", d =>
        {
            var seccomp = Seccomp(call => { call["action"] = "SCMP_ACT_NOTIFY"; call["names"] = new JsonArray("mkdir", "write"); });
            seccomp["listenerPath"] = "/run/agent.sock";
            d["linux"]!["seccomp"] = seccomp;
        }, "SeccompNotifyOnWrite");
        yield return Case("linux.seccomp.defaultAction", d =>
        {
            var seccomp = Seccomp(_ => { });
            seccomp["defaultAction"] = "SCMP_ACT_NOTIFY";
            seccomp["listenerPath"] = "/run/agent.sock";
            d["linux"]!["seccomp"] = seccomp;
        }, "SeccompNotifyAsDefault");
    }

    [TestCaseSource(nameof(SingleRuleViolations))]
    public void ViolationIsReportedAtItsPath(Action<JsonObject> mutate, string path)
    {
        var doc = SpecText.Minimal();
        mutate(doc);
        var errors = SpecValidator.Validate(SpecText.Parse(doc.ToJsonString()));
        Assert.That(errors.Select(e => e.Path), Is.EqualTo(new[] { path }), () => string.Join("; ", errors));
        var e = Assert.Throws<ConfigError>(() => SpecValidator.ThrowIfInvalid(SpecText.Parse(doc.ToJsonString())))!;
        Assert.That(e.Message, Does.StartWith($"config.json: {path}: "));
    }

    [Test]
    public void AllErrorsAreReportedInCheckOrder()
    {
        var doc = SpecText.Minimal();
        doc["process"]!["cwd"] = "rel";
        doc["hostname"] = "h";
        doc["mounts"] = new JsonArray(new JsonObject { ["destination"] = "" });
        var errors = SpecValidator.Validate(SpecText.Parse(doc.ToJsonString()));
        Assert.That(errors.Select(e => e.Path), Is.EqualTo(new[] { "process.cwd", "mounts[0].destination", "hostname" }));
    }

    [Test]
    public void SysctlsAreAcceptedWithTheirNamespaces()
    {
        var doc = SpecText.Minimal();
        foreach (var type in new[] { "network", "ipc", "uts" })
            Namespaces(doc).Add(new JsonObject { ["type"] = type });
        doc["linux"]!["sysctl"] = new JsonObject
        {
            ["net.ipv4.ip_forward"] = "1", ["kernel.shmmax"] = "1", ["kernel.msgmnb"] = "1",
            ["fs.mqueue.msg_max"] = "1", ["kernel.domainname"] = "d", ["vm.swappiness"] = "1",
        };
        Assert.That(SpecValidator.Validate(SpecText.Parse(doc.ToJsonString())), Is.Empty);
    }

    [Test]
    public void ArgsMayBeOmittedWithCommandLine()
    {
        var doc = SpecText.Minimal();
        doc["process"]!.AsObject().Remove("args");
        doc["process"]!["commandLine"] = "cmd.exe /c dir";
        Assert.That(SpecValidator.Validate(SpecText.Parse(doc.ToJsonString())), Is.Empty);
    }

    [Test]
    public void NotifyWithListenerPathIsValid()
    {
        var doc = SpecText.Minimal();
        var seccomp = Seccomp(call => call["action"] = "SCMP_ACT_NOTIFY");
        seccomp["listenerPath"] = "/run/agent.sock";
        doc["linux"]!["seccomp"] = seccomp;
        Assert.That(SpecValidator.Validate(SpecText.Parse(doc.ToJsonString())), Is.Empty);
    }

    private static void AssertExactly(Action<JsonObject> mutate, string message)
    {
        var doc = SpecText.Minimal();
        mutate(doc);
        var spec = SpecText.Parse(doc.ToJsonString());
        var e = Assert.Throws<ConfigError>(() => SpecValidator.ThrowIfInvalid(spec))!;
        Assert.That(e.Message, Is.EqualTo(message));
        Assert.That(SpecValidator.Validate(spec), Has.Count.EqualTo(1));
    }

    private static JsonArray Namespaces(JsonObject doc) => doc["linux"]!["namespaces"]!.AsArray();

    private static JsonObject Rlimit(string type, ulong soft, ulong hard) => new() { ["type"] = type, ["soft"] = soft, ["hard"] = hard };

    private static JsonObject Mapping() => new() { ["containerID"] = 0, ["hostID"] = 1000, ["size"] = 1 };

    private static JsonObject Offsets(string clock, uint nanosecs) =>
        new() { [clock] = new JsonObject { ["secs"] = 1, ["nanosecs"] = nanosecs } };

    private static JsonObject Seccomp(Action<JsonObject> editCall)
    {
        var call = new JsonObject { ["names"] = new JsonArray("mount"), ["action"] = "SCMP_ACT_ERRNO" };
        editCall(call);
        return new JsonObject { ["defaultAction"] = "SCMP_ACT_ALLOW", ["syscalls"] = new JsonArray(call) };
    }
}
