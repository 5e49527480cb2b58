using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>
/// 1,000 create/start/delete cycles, 8 at a time, under memory and pids limits, with `list` and
/// `state` read all along: every cycle succeeds, every answer is a valid state, and nothing is
/// left. scripts/bench.sh times the same load against runc.
/// </summary>
[TestFixture]
[NonParallelizable]
public class LoadTests
{
    private static readonly string[] Statuses = ["creating", "created", "running", "stopped", "paused"];

    [Test]
    public void AThousandCyclesEightAtATimeLeaveNothing()
    {
        using var b = new TestBundle("true");
        b.Linux["resources"]!["memory"] = new JsonObject { ["limit"] = 32 * 1024 * 1024 };
        b.Linux["resources"]!["pids"] = new JsonObject { ["limit"] = 16 };
        b.Save();
        // `list` with a --root that does not exist is an error, as in runc.
        Directory.CreateDirectory(b.StateRoot);
        var before = Runcs.InitProcesses();
        var failures = new ConcurrentQueue<string>();
        int next = -1;
        using var done = new CancellationTokenSource();

        var readers = Task.Run(() =>
        {
            int reads = 0;
            while (!done.IsCancellationRequested)
            {
                var list = b.Runcs("list", "--format", "json");
                if (list.ExitCode != 0)
                    failures.Enqueue($"list: {list}");
                else if (list.Stdout.Trim() != "null")
                {
                    foreach (var entry in JsonNode.Parse(list.Stdout)!.AsArray())
                    {
                        var status = entry!["status"]!.GetValue<string>();
                        if (!Statuses.Contains(status))
                            failures.Enqueue($"list: status {status}");
                        var state = b.Runcs("state", entry["id"]!.GetValue<string>());
                        if (state.ExitCode != 0 && state.Stderr != "runcs: container does not exist\n")
                            failures.Enqueue($"state: {state}");
                    }
                }
                reads++;
            }
            return reads;
        });

        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (int i; (i = Interlocked.Increment(ref next)) < 1000;)
            {
                var id = $"{b.Id}-load-{i}";
                foreach (var args in new[] { new[] { "create", "--bundle", b.Dir, id }, ["start", id], ["delete", "--force", id] })
                {
                    var r = b.Runcs(args);
                    if (r.ExitCode != 0)
                        failures.Enqueue($"{args[0]} {id}: {r}");
                }
            }
        })).ToArray();
        Task.WaitAll(workers);
        done.Cancel();
        var reads = readers.Result;

        Assert.That(failures.Take(10), Is.Empty, $"{failures.Count} failures");
        Assert.That(reads, Is.GreaterThan(0));
        Assert.That(Directory.Exists(b.StateRoot) ? Directory.GetDirectories(b.StateRoot) : [], Is.Empty, "state dirs left");
        Assert.That(Directory.GetDirectories("/sys/fs/cgroup", $"{b.Id}-load-*", SearchOption.AllDirectories), Is.Empty, "cgroups left");
        Assert.That(Runcs.InitProcesses().Except(before), Is.Empty, "init processes left");
    }
}
