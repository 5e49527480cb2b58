using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration.Engines;

/// <summary>A runtime an engine can drive: its name and its binary.</summary>
public sealed record Runtime(string Name, string Binary)
{
    private static int _counter;

    /// <summary>A container name unique in this test run, naming the test and the runtime.</summary>
    public string ContainerName() =>
        $"{TestContext.CurrentContext.Test.MethodName}-{Name}-{Interlocked.Increment(ref _counter)}".ToLowerInvariant();
}

/// <summary>
/// Runs one engine scenario with runcs and then with runc. Each run yields a transcript
/// of what a user of the engine observes; each must meet the scenario's expectation
/// (so two identical failures cannot pass), and runcs's must equal runc's.
/// </summary>
public static class SideBySide
{
    public static readonly Func<Runtime>[] Runtimes =
        [() => new Runtime("runcs", Runcs.Binary), () => new Runtime("runc", "/usr/bin/runc")];

    public static void Same(string engine, Func<Runtime, string> scenario, Action<string> expect)
    {
        var transcripts = new Dictionary<string, string>();
        foreach (var runtime in Runtimes.Select(r => r()))
            transcripts[runtime.Name] = scenario(runtime);
        Assert.Multiple(() =>
        {
            foreach (var (name, transcript) in transcripts)
                Assert.That(() => expect(transcript), Throws.Nothing, $"{name} under {engine}; its transcript:\n{transcript}");
        });
        Assert.That(transcripts["runcs"], Is.EqualTo(transcripts["runc"]), $"runcs and runc differ under {engine}");
    }

    public static string Transcript(ProcResult r) => $"exit {r.ExitCode}\n{r.Stdout}";
}
