using NUnit.Framework;

namespace Runc.Sharp.Tests.Unit.Fuzz;

/// <summary>
/// What one fuzzer run tries. By default (as in CI) a fixed seed and a fixed number of
/// inputs: every run tries the same inputs, so the suite's verdict never depends on luck
/// and a failure replays exactly. scripts/fuzz.sh explores instead: RUNCS_FUZZ_SECONDS
/// runs for that long from a fresh seed (or RUNCS_FUZZ_SEED), with no input limit.
/// </summary>
internal sealed class FuzzBudget
{
    private const int FixedSeed = 20261201;
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private readonly int _maxInputs;
    private readonly DateTime _until;

    public Random Random { get; }
    public int Inputs { get; private set; }

    private FuzzBudget(int seed, int maxInputs, TimeSpan duration)
    {
        Random = new Random(seed);
        _maxInputs = maxInputs;
        _until = DateTime.UtcNow + duration;
    }

    /// <param name="inputs">How many inputs a default run tries: about five seconds' worth here.</param>
    public static FuzzBudget Start(int inputs)
    {
        var explore = int.TryParse(Environment.GetEnvironmentVariable("RUNCS_FUZZ_SECONDS"), out var s) && s > 0;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("RUNCS_FUZZ_SEED"), out var fixedSeed) ? fixedSeed
            : explore ? Environment.TickCount & 0x7fffffff : FixedSeed;
        TestContext.Out.WriteLine($"fuzz seed {seed} (replay with RUNCS_FUZZ_SEED={seed})");
        return explore ? new FuzzBudget(seed, int.MaxValue, TimeSpan.FromSeconds(s)) : new FuzzBudget(seed, inputs, HangGuard);
    }

    /// <summary>true while another input is due; counts it.</summary>
    public bool Next()
    {
        if (Inputs >= _maxInputs || DateTime.UtcNow >= _until)
            return false;
        Inputs++;
        return true;
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
