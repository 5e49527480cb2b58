using System.Text.Json;
using NUnit.Framework;
using Runc.Sharp.Lifecycle;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Tests.Unit;

public class StateStoreTests
{
    private string _root = "";
    private StateStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        _root = Path.Combine(Path.GetTempPath(), "runcs-unit-" + Guid.NewGuid().ToString("N"));
        _store = new StateStore(_root);
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    internal static ContainerState State(string id, int pid = 0, string bundle = "/bundle") => new()
    {
        Id = id,
        InitPid = pid,
        InitStartTime = 42,
        Created = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc).AddTicks(1234567),
        Bundle = bundle,
        Rootfs = bundle + "/rootfs",
        OciVersion = "1.3.0",
        Hooks = DefaultSpec.Example().Hooks,
        CgroupPaths = new Dictionary<string, string> { [""] = "/sys/fs/cgroup/unified/" + id },
        PreexistingCgroups = ["/sys/fs/cgroup/memory/x"],
        Rootless = true,
    };

    private void Create(string id, int pid = 0)
    {
        using var l = _store.CreateLocked(id);
        _store.Write(l, State(id, pid));
    }

    [Test]
    public void WriteThenReadRoundTrips()
    {
        var state = State("c1", pid: 77);
        using (var l = _store.CreateLocked("c1"))
            _store.Write(l, state);

        var read = _store.Read("c1");
        Assert.That(_store.Exists("c1"), Is.True);
        Assert.That(JsonSerializer.Serialize(read, LifecycleJson.Default.ContainerState),
            Is.EqualTo(JsonSerializer.Serialize(state, LifecycleJson.Default.ContainerState)));
        Assert.That((read.Id, read.InitPid, read.InitStartTime, read.Created, read.Rootless), Is.EqualTo(("c1", 77, 42UL, state.Created, true)));
        Assert.That(read.Created.Kind, Is.EqualTo(DateTimeKind.Utc));
        Assert.That(read.CgroupPaths, Is.EqualTo(state.CgroupPaths));
        Assert.That(read.OciVersion, Is.EqualTo("1.3.0"));
        Assert.That(File.Exists(Path.Combine(_root, "c1", StateStore.StateFile)), Is.True);
    }

    [Test]
    public void StoredConfigKeepsUnknownMembers()
    {
        var config = SpecText.Parse("""{"ociVersion":"1.0.0","root":{"path":"r"},"process":{"args":["sh"],"x-p":1},"vm":{"k":[1]}}""");
        using (var l = _store.CreateLocked("c"))
        {
            _store.Write(l, State("c"));
            _store.WriteSpec(l, config);
        }
        var back = _store.ReadSpec("c");
        Assert.That(SpecText.Serialize(back), Is.EqualTo(SpecText.Serialize(config)));
        Assert.That(back.Extra!.ContainsKey("vm"), Is.True);
    }

    [Test]
    public void TryReadOfMissingIsNull()
    {
        Assert.That(_store.TryRead("nope"), Is.Null);
        Directory.CreateDirectory(_store.DirOf("empty"));
        Assert.That(_store.TryRead("empty"), Is.Null);
        Assert.That(_store.Exists("empty"), Is.False);
    }

    [Test]
    public void ReadOfMissingIsContainerNotFound()
    {
        var e = Assert.Throws<ContainerNotFound>(() => _store.Read("nope"))!;
        Assert.That(e.Message, Is.EqualTo("container does not exist"));
        Assert.That(e.Id, Is.EqualTo("nope"));
    }

    [Test]
    public void CorruptStateIsReported()
    {
        Directory.CreateDirectory(_store.DirOf("bad"));
        File.WriteAllText(Path.Combine(_store.DirOf("bad"), StateStore.StateFile), "{\"id\":");
        var e = Assert.Throws<RuncsException>(() => _store.TryRead("bad"))!;
        Assert.That(e.Message, Does.StartWith("state of container bad is corrupt"));
    }

    [Test]
    public void CreateTwiceFails()
    {
        using var first = _store.CreateLocked("dup");
        var e = Assert.Throws<RuncsException>(() => _store.CreateLocked("dup"))!;
        Assert.That(e.Message, Is.EqualTo("container with given ID already exists"));
    }

    [Test]
    public void CreateMakesTheRootAndAPrivateDirectory()
    {
        using var l = _store.CreateLocked("c");
        Assert.That(Directory.Exists(_root), Is.True);
        Assert.That(l.Directory, Is.EqualTo(Path.Combine(_root, "c")));
        var mode = File.GetUnixFileMode(l.Directory);
        Assert.That(mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead), Is.EqualTo((UnixFileMode)0));
    }

    [TestCase("")]
    [TestCase("..")]
    [TestCase("../escape")]
    [TestCase("a/b")]
    public void InvalidIdsTouchNothing(string id)
    {
        Assert.Throws<RuncsException>(() => _store.CreateLocked(id));
        Assert.Throws<RuncsException>(() => _store.OpenLocked(id));
        Assert.That(Directory.Exists(_root), Is.False);
    }

    [Test]
    public void OpenLockedOfMissingIsContainerNotFound()
    {
        var e = Assert.Throws<ContainerNotFound>(() => _store.OpenLocked("ghost"))!;
        Assert.That(e.Message, Is.EqualTo("container does not exist"));
        // A directory left by a create that died before writing state is not a container either.
        using (_store.CreateLocked("halfway")) { }
        Assert.Throws<ContainerNotFound>(() => _store.OpenLocked("halfway"));
    }

    [Test]
    public void InterruptedWriteKeepsThePreviousState()
    {
        Create("c", pid: 1);
        string? temp = null;
        using (var l = _store.OpenLocked("c"))
        {
            var e = Assert.Throws<IOException>(() => _store.Write(l, State("c", pid: 2, bundle: "/other"), t =>
            {
                temp = t;
                Assert.That(File.Exists(t), Is.True, "the hook runs after the temp file is written");
                Assert.That(File.ReadAllText(t), Does.Contain("/other"));
                throw new IOException("disk full");
            }))!;
            Assert.That(e.Message, Is.EqualTo("disk full"));
        }
        Assert.That(temp, Is.Not.Null);
        Assert.That(Path.GetDirectoryName(temp), Is.EqualTo(_store.DirOf("c")));
        Assert.That(File.Exists(temp), Is.False);
        Assert.That(Directory.GetFiles(_store.DirOf("c")).Select(Path.GetFileName), Is.EqualTo(new[] { StateStore.StateFile }));
        var state = _store.Read("c");
        Assert.That((state.InitPid, state.Bundle), Is.EqualTo((1, "/bundle")));
    }

    [Test]
    public void ReadersNeverSeeAPartialState()
    {
        Create("c", pid: 0);
        using var done = new ManualResetEventSlim();
        int reads = 0, lastPid = 0;
        var problems = new List<string>();
        var reader = new Thread(() =>
        {
            var path = Path.Combine(_store.DirOf("c"), StateStore.StateFile);
            while (!done.IsSet)
            {
                try
                {
                    var s = JsonSerializer.Deserialize(File.ReadAllBytes(path), LifecycleJson.Default.ContainerState)!;
                    if (s.InitPid < lastPid || s.Bundle != "/b" + new string('x', s.InitPid % 97))
                        problems.Add($"inconsistent state: pid {s.InitPid} after {lastPid}, bundle {s.Bundle}");
                    lastPid = s.InitPid;
                    reads++;
                }
                catch (Exception e)
                {
                    problems.Add(e.GetType().Name + ": " + e.Message);
                }
            }
        });
        using (var l = _store.OpenLocked("c"))
        {
            _store.Write(l, State("c", 0, "/b"));
            reader.Start();
            // Sizes vary, so a torn or truncated read would fail to parse or mismatch.
            for (int pid = 1; pid <= 500; pid++)
                _store.Write(l, State("c", pid, "/b" + new string('x', pid % 97)));
        }
        done.Set();
        reader.Join();
        Assert.That(problems, Is.Empty, () => string.Join("\n", problems.Take(5)));
        Assert.That(reads, Is.GreaterThan(10));
        Assert.That(_store.Read("c").InitPid, Is.EqualTo(500));
        Assert.That(Directory.GetFiles(_store.DirOf("c")), Has.Length.EqualTo(1));
    }

    [Test]
    public void ConcurrentOperationsOnOneIdSerialise()
    {
        Create("c", pid: 0);
        const int workers = 50;
        int inside = 0, maxInside = 0;
        var errors = new List<Exception>();
        using var start = new Barrier(workers);
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                using var l = _store.OpenLocked("c");
                var now = Interlocked.Increment(ref inside);
                InterlockedMax(ref maxInside, now);
                var s = _store.Read("c");
                Thread.Yield();
                _store.Write(l, s with { InitPid = s.InitPid + 1 });
                Interlocked.Decrement(ref inside);
            }
            catch (Exception e)
            {
                lock (errors)
                    errors.Add(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.That(errors, Is.Empty);
        Assert.That(_store.Read("c").InitPid, Is.EqualTo(workers));
        Assert.That(maxInside, Is.EqualTo(1));
    }

    [Test]
    public void LockWaiterSeesARemovedContainerAsGone()
    {
        Create("c");
        var held = _store.OpenLocked("c");
        Exception? seen = null;
        var waiter = new Thread(() =>
        {
            try { _store.OpenLocked("c").Dispose(); }
            catch (Exception e) { seen = e; }
        });
        waiter.Start();
        Thread.Sleep(100);
        StateStore.Remove(held);
        held.Dispose();
        Assert.That(waiter.Join(TimeSpan.FromSeconds(10)), Is.True);
        Assert.That(seen, Is.InstanceOf<ContainerNotFound>());
    }

    [Test]
    public void RemoveDeletesTheDirectory()
    {
        Create("c");
        using (var l = _store.OpenLocked("c"))
            StateStore.Remove(l);
        Assert.That(Directory.Exists(_store.DirOf("c")), Is.False);
        Assert.That(_store.Exists("c"), Is.False);
        Assert.That(_store.ListIds(), Is.Empty);
    }

    [Test]
    public void ListIdsSkipsWhatIsNotAContainer()
    {
        Create("b");
        Create("a");
        Create("a.b-c_d+e");
        using (_store.CreateLocked("no-state")) { }
        Directory.CreateDirectory(Path.Combine(_root, "bad name"));
        File.WriteAllText(Path.Combine(_root, "bad name", StateStore.StateFile), "{}");
        File.WriteAllText(Path.Combine(_root, "plainfile"), "x");
        Assert.That(_store.ListIds(), Is.EqualTo(new[] { "a", "a.b-c_d+e", "b" }));
    }

    [Test]
    public void ListIdsOfMissingRootIsEmpty() => Assert.That(_store.ListIds(), Is.Empty);

    [Test]
    public void RemoveStaleDeletesAHalfCreatedContainer()
    {
        using (_store.CreateLocked("half")) { }
        _store.RemoveStale("half");
        Assert.That(Directory.Exists(_store.DirOf("half")), Is.False);
        Assert.DoesNotThrow(() => _store.RemoveStale("half"));
        Assert.DoesNotThrow(() => _store.CreateLocked("half").Dispose(), "the id is free again");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }
}
