using NUnit.Framework;

namespace Runc.Sharp.Tests.Unit.Fuzz;

/// <summary>
/// How long each fuzzer runs and from which seed. RUNCS_FUZZ_SECONDS (default 10) bounds
/// the time; RUNCS_FUZZ_SEED replays a run. Each run prints its seed, so a failure found in
/// CI can be reproduced exactly.
/// </summary>
internal static class FuzzBudget
{
    public static TimeSpan Duration =>
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("RUNCS_FUZZ_SECONDS"), out var s) && s > 0 ? s : 10);

    public static int Seed()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("RUNCS_FUZZ_SEED"), out var s) ? s : Environment.TickCount & 0x7fffffff;
        TestContext.Out.WriteLine($"fuzz seed {seed} (replay with RUNCS_FUZZ_SEED={seed})");
        return seed;
    }

    /// <summary>One input, which must finish within <paramref name="limit"/>; a hang fails the test instead of stalling CI.</summary>
    public static T WithinLimit<T>(Func<T> run, TimeSpan limit, Func<string> describe)
    {
        var task = Task.Run(run);
        if (!task.Wait(limit))
            Assert.Fail($"no answer after {limit.TotalSeconds} s for {describe()}");
        return task.Result;
    }
}
