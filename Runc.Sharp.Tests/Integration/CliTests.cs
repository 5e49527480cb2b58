using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>The runcs binary's command line: bad input gets one clear line, exit 1, and nothing created.</summary>
[TestFixture]
[NonParallelizable]
public class CliTests
{
    private static ProcResult Runcs(params string[] args) => Integration.Runcs.Exec(Integration.Runcs.Binary, args);

    private static void AssertOneErrorLine(ProcResult r, string contains)
    {
        Assert.That(r.ExitCode, Is.EqualTo(1), r.ToString());
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), r.Stderr);
        Assert.That(lines[0], Does.Contain(contains));
        Assert.That(r.Stderr, Does.Not.Contain("Unhandled").And.Not.Contain("   at "));
    }

    [Test]
    public void VersionHasGoRuncsPrefixes()
    {
        var r = Runcs("--version");
        Assert.That(r.ExitCode, Is.Zero);
        var lines = r.Stdout.Split('\n');
        Assert.That(lines[0], Does.Match(@"^runcs version \d+\.\d+\.\d+"));
        Assert.That(lines[1], Does.StartWith("commit: "));
        Assert.That(lines[2], Is.EqualTo("spec: 1.3.0"));
        Assert.That(Runcs("-v").Stdout, Is.EqualTo(r.Stdout));
    }

    [Test]
    public void MalformedConfigNamesLineAndColumn()
    {
        using var b = new TestBundle("true");
        File.WriteAllText(b.ConfigPath, "{\n  \"ociVersion\": \"1.0.0\",\n  \"process\": {\"args\": [\"sh\"],}\n}");
        var r = b.Runcs("create", "--bundle", b.Dir, b.Id);
        AssertOneErrorLine(r, "line 3");
        Assert.That(Directory.Exists(b.StateRoot), Is.False, "nothing is created, not even the root");
    }

    [Test]
    public void WrongTypeNamesTheJsonPath()
    {
        using var b = new TestBundle("true");
        b.Process["args"] = "sh";
        var r = b.Create();
        AssertOneErrorLine(r, "config.json: process.args");
        Assert.That(Directory.Exists(b.StateRoot), Is.False);
    }

    [Test]
    public void ValidationErrorNamesTheElement()
    {
        using var b = new TestBundle("true");
        b.Linux["namespaces"]!.AsArray()[2] = new JsonObject { ["type"] = "pdi" };
        AssertOneErrorLine(b.Create(), "config.json: linux.namespaces[2].type: unknown namespace \"pdi\"");
        b.Config["ociVersion"] = "2.0.0";
        AssertOneErrorLine(b.Create(), "config.json: ociVersion \"2.0.0\": unsupported (runcs supports 1.0.0–1.3.x)");
    }

    [TestCase("../x")]
    [TestCase("a/b")]
    [TestCase(".")]
    [TestCase("")]
    public void InvalidIdsAreRefusedBeforeTouchingTheDisk(string id)
    {
        using var b = new TestBundle("true");
        b.Save();
        var r = b.Runcs("create", "--bundle", b.Dir, id);
        AssertOneErrorLine(r, "container id");
        Assert.That(Directory.Exists(b.StateRoot), Is.False);
    }

    [Test]
    public void ConfigThatIsADirectoryOrMissing()
    {
        using var b = new TestBundle("true");
        File.Delete(b.ConfigPath);
        AssertOneErrorLine(b.Runcs("create", "--bundle", b.Dir, b.Id), "no such file or directory");
        Directory.CreateDirectory(b.ConfigPath);
        AssertOneErrorLine(b.Runcs("create", "--bundle", b.Dir, b.Id), "is a directory");
        AssertOneErrorLine(b.Runcs("create", "--bundle", "/nonexistent/bundle", b.Id), "/nonexistent/bundle");
        Assert.That(Directory.Exists(b.StateRoot), Is.False);
    }

    [Test]
    public void UnknownFlagIsNamed()
    {
        AssertOneErrorLine(Runcs("create", "--bogus", "x"), "--bogus");
        AssertOneErrorLine(Runcs("--bogus", "list"), "--bogus");
    }

    [Test]
    public void NoArgumentsPrintsHelpAsRuncDoes()
    {
        var r = Runcs();
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        Assert.That(r.Stdout, Does.Contain("Usage:").And.Contain("state"));
        Assert.That(r.Stderr, Is.Empty);
    }

    [Test]
    public void WrongArgumentCountPrintsIncorrectUsage()
    {
        var r = Runcs("state");
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stdout, Does.StartWith("Incorrect Usage."));
        Assert.That(r.Stderr, Does.Contain("\"state\" requires exactly 1 argument(s)"));
    }

    [Test]
    public void UnwritableRootIsReported()
    {
        using var b = new TestBundle("true");
        b.Save();
        var r = Integration.Runcs.Exec(Integration.Runcs.Binary, ["--root", "/proc/runcs-root", "create", "--bundle", b.Dir, b.Id]);
        AssertOneErrorLine(r, "/proc/runcs-root");
    }

    [Test]
    public void AReaderThatGoesAwayEndsNothingBadly()
    {
        var r = Runc.Sharp.Tests.Integration.Runcs.Exec("/bin/sh", ["-c", "\"$1\" --help | head -c 1 >/dev/null; echo \"${PIPESTATUS:-done}\"", "sh", Integration.Runcs.Binary]);
        Assert.That(r, Is.EqualTo(new ProcResult(0, "done\n", "")), "a closed stdout is no crash");
    }

    [Test]
    public void ErrorsGoToTheJsonLogWithRfc3339Time()
    {
        using var log = new TempDir();
        var file = Path.Combine(log.Path, "log.json");
        var r = Runcs("--log", file, "--log-format", "json", "state", "nonexistent-id");
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.Contain("container does not exist"));
        var entry = JsonNode.Parse(File.ReadAllLines(file).Last())!;
        Assert.That(entry["level"]!.GetValue<string>(), Is.EqualTo("error"));
        Assert.That(entry["msg"]!.GetValue<string>(), Is.EqualTo("container does not exist"));
        Assert.That(DateTimeOffset.TryParse(entry["time"]!.GetValue<string>(), out _), Is.True);
        AssertOneErrorLine(Runcs("--log-format", "xml", "list"), "invalid log-format: xml");
    }

    [Test]
    public void RepeatedFlagKeepsTheLastValue()
    {
        using var log = new TempDir();
        var (first, last) = (Path.Combine(log.Path, "first.log"), Path.Combine(log.Path, "last.log"));
        var r = Runcs("--log", first, "--log", last, "--log-format", "text", "--log-format=json", "state", "nonexistent-id");
        Assert.That(r.ExitCode, Is.EqualTo(1), r.ToString());
        Assert.That(File.Exists(first), Is.False);
        Assert.That(JsonNode.Parse(File.ReadAllLines(last).Last())!["msg"]!.GetValue<string>(), Is.EqualTo("container does not exist"));
    }

    [Test]
    public void UpdateFromStdinOfAMissingContainerDoesNotWaitForInput()
    {
        using var dir = new TempDir();
        // The shell holds the fifo open for writing too, so a read of it would never end.
        var r = Integration.Runcs.Exec("/bin/sh", ["-c", "mkfifo \"$1/in\" && exec 3<>\"$1/in\" && exec \"$2\" --root \"$1/root\" update -r - nonexistent-id <&3",
            "sh", dir.Path, Integration.Runcs.Binary], timeout: TimeSpan.FromSeconds(20));
        AssertOneErrorLine(r, "container does not exist");
    }

    [Test]
    public void SpecRefusesToOverwrite()
    {
        using var dir = new TempDir();
        Assert.That(Runcs("spec", "-b", dir.Path).ExitCode, Is.Zero);
        var again = Runcs("spec", "--bundle=" + dir.Path);
        AssertOneErrorLine(again, "File config.json exists. Remove it first");
        var rootless = Path.Combine(dir.Path, "rootless");
        Directory.CreateDirectory(rootless);
        Assert.That(Runcs("spec", "--rootless", "--bundle", rootless).ExitCode, Is.Zero);
        var cfg = JsonNode.Parse(File.ReadAllText(Path.Combine(rootless, "config.json")))!;
        Assert.That(cfg["linux"]!["uidMappings"]![0]!["hostID"]!.GetValue<uint>(), Is.EqualTo(0u), "mapped to the calling user (root here)");
        Assert.That(File.ReadAllText(Path.Combine(dir.Path, "config.json")), Does.Contain("\n\t\"ociVersion\""), "tab-indented like runc");
    }

    [Test]
    public void RestoreFailsClearlyUntilItsIssueLands()
    {
        var r = Runcs("restore", "some-id");
        AssertOneErrorLine(r, "restore: not implemented yet");
    }

    [Test]
    public void FeaturesIsFourSpaceIndentedJson()
    {
        var r = Runcs("features");
        Assert.That(r.ExitCode, Is.Zero);
        Assert.That(r.Stdout, Does.StartWith("{\n    \"ociVersionMin\": \"1.0.0\""));
        var f = JsonNode.Parse(r.Stdout)!;
        Assert.That(f["hooks"]!.AsArray().Count, Is.EqualTo(6));
        Assert.That(f["linux"]!["seccomp"]!["enabled"]!.GetValue<bool>(), Is.True);
        Assert.That(f["linux"]!["seccomp"]!["archs"]!.AsArray().Select(a => a!.GetValue<string>()), Does.Contain("SCMP_ARCH_X86_64"));
    }

    /// <summary>
    /// Every field of runc 1.3.6's `features` (its output on this host, key by key), and what
    /// runcs adds, each true here: no resctrl on this VM, set_mempolicy's modes, netDevices.
    /// </summary>
    [Test]
    public void FeaturesHasRunc136sFieldsAndTellsTheTruthAboutTheNewOnes()
    {
        var f = JsonNode.Parse(Runcs("features").Stdout)!.AsObject();
        string[] runc136 =
        [
            "ociVersionMin", "ociVersionMax", "hooks", "mountOptions", "linux", "annotations", "potentiallyUnsafeConfigAnnotations",
            "linux.namespaces", "linux.capabilities", "linux.cgroup", "linux.seccomp", "linux.apparmor", "linux.selinux",
            "linux.intelRdt", "linux.mountExtensions", "linux.cgroup.v1", "linux.cgroup.v2", "linux.cgroup.systemd",
            "linux.cgroup.systemdUser", "linux.cgroup.rdma", "linux.seccomp.enabled", "linux.seccomp.actions",
            "linux.seccomp.operators", "linux.seccomp.archs", "linux.seccomp.knownFlags", "linux.seccomp.supportedFlags",
            "linux.apparmor.enabled", "linux.selinux.enabled", "linux.intelRdt.enabled", "linux.mountExtensions.idmap",
            "linux.mountExtensions.idmap.enabled",
        ];
        foreach (var key in runc136)
            Assert.That(key.Split('.').Aggregate((JsonNode?)f, (n, k) => n?[k]), Is.Not.Null, key);
        var linux = f["linux"]!;
        Assert.That(linux["intelRdt"]!["enabled"]!.GetValue<bool>(), Is.EqualTo(File.ReadAllText("/proc/self/mountinfo").Contains(" - resctrl ")));
        Assert.That(linux["memoryPolicy"]!["modes"]!.AsArray().Select(m => m!.GetValue<string>()), Does.Contain("MPOL_WEIGHTED_INTERLEAVE").And.Contain("MPOL_BIND"));
        Assert.That(linux["memoryPolicy"]!["flags"]!.AsArray().Select(m => m!.GetValue<string>()), Is.EquivalentTo(new[] { "MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES", "MPOL_F_STATIC_NODES" }));
        Assert.That(linux["netDevices"]!["enabled"]!.GetValue<bool>(), Is.True);
        Assert.That(linux["mountExtensions"]!["idmap"]!["enabled"]!.GetValue<bool>(), Is.True);
        Assert.That(f["potentiallyUnsafeConfigAnnotations"]!.AsArray(), Is.Empty, "runcs acts on no config annotation");
    }

    [Test]
    public void HelpOfEveryCommand()
    {
        foreach (var c in new[] { "create", "run", "start", "state", "kill", "delete", "list", "ps", "exec", "pause", "resume", "update", "events", "features", "spec", "checkpoint", "restore" })
        {
            var r = Runcs(c, "--help");
            Assert.That(r.ExitCode, Is.Zero, c);
            Assert.That(r.Stdout, Does.Contain(c), c);
        }
    }
}
