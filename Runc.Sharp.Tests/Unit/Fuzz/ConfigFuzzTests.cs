using NUnit.Framework;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Tests.Unit.Fuzz;

/// <summary>
/// The config parser and validator under stacked random mutations for a bounded time:
/// every input is accepted or refused with a ConfigError naming config.json, none throws
/// anything else and none hangs.
/// </summary>
[TestFixture]
public class ConfigFuzzTests
{
    [Test]
    public void ParserAndValidatorOnlyEverAcceptOrRaiseConfigError()
    {
        var budget = FuzzBudget.Start(inputs: 30_000);
        var random = budget.Random;
        var corpus = ConfigGenerator.Corpus;
        int accepted = 0;
        while (budget.Next())
        {
            var text = corpus[random.Next(corpus.Count)];
            for (int n = random.Next(1, 5); n > 0; n--)
                text = Mutator.MutateAny(text, random);
            var outcome = FuzzBudget.WithinLimit(() => Outcome(text), TimeSpan.FromSeconds(5), () => text);
            if (outcome is Exception e)
                Assert.Fail($"input {budget.Inputs} threw {e.GetType().Name}: {e.Message}\n{e.StackTrace}\ninput: {text}");
            if (outcome is true)
                accepted++;
        }
        TestContext.Out.WriteLine($"{budget.Inputs} inputs, {accepted} accepted");
        Assert.That(budget.Inputs, Is.GreaterThan(100), "the fuzzer must have run");
    }

    /// <summary>true: accepted; false: a ConfigError naming config.json; an exception: a bug.</summary>
    private static object Outcome(string text)
    {
        try
        {
            SpecText.ParseAndValidate(text);
            return true;
        }
        catch (ConfigError e) when (e.Message.StartsWith("config.json: ", StringComparison.Ordinal))
        {
            return false;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
