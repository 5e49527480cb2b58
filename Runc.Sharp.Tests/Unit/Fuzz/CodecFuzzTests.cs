using System.Text;
using NUnit.Framework;
using Runc.Sharp.Spec;
using Runc.Sharp.Spec.Codec;

namespace Runc.Sharp.Tests.Unit.Fuzz;

/// <summary>
/// The decoder against the serializer on mutated configs: a document the decoder accepts
/// must be one the serializer accepts, read to the same model, which the encoder writes
/// as the serializer would.
/// </summary>
[TestFixture]
public class CodecFuzzTests
{
    [Test]
    public void DecoderAcceptsOnlyWhatTheSerializerReadsTheSameWay()
    {
        var budget = FuzzBudget.Start(inputs: 20_000);
        var random = budget.Random;
        var corpus = ConfigGenerator.Corpus;
        int decoded = 0;
        while (budget.Next())
        {
            var text = corpus[random.Next(corpus.Count)];
            for (int n = random.Next(1, 4); n > 0; n--)
                text = Mutator.MutateAny(text, random);
            var fast = SpecDecoder.TryRuntimeSpec(Encoding.UTF8.GetBytes(text));
            if (fast is null)
                continue;
            decoded++;
            RuntimeSpec reference;
            try
            {
                reference = SpecText.SerializerParse(text);
            }
            catch (ConfigError e)
            {
                Assert.Fail($"input {budget.Inputs}: the decoder accepted what the serializer refuses ({e.Message})\ninput: {text}");
                return;
            }
            var expected = SpecText.SerializerText(reference);
            Assert.That(SpecText.SerializerText(fast), Is.EqualTo(expected), $"input {budget.Inputs}: read differently\ninput: {text}");
            Assert.That(Encoding.UTF8.GetString(SpecEncoder.Encode(fast)), Is.EqualTo(expected), $"input {budget.Inputs}: written differently\ninput: {text}");
        }
        TestContext.Out.WriteLine($"{budget.Inputs} inputs, {decoded} decoded");
        Assert.That(decoded, Is.GreaterThan(budget.Inputs / 10), "the mutations must leave many documents the decoder reads");
    }
}
