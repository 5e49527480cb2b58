using System.Reflection;
using System.Runtime.CompilerServices;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Unit;

/// <summary>
/// Runc.Sharp/CodeOrder.txt lays out the methods the commands run first (ILC's order file,
/// from scripts/code-order.sh). A method it names that no longer exists is only laid out
/// nowhere, so nothing breaks, and the file goes stale silently: this says when it has.
/// </summary>
public partial class CodeOrderTests
{
    [System.Text.RegularExpressions.GeneratedRegex(@"_[0-9]+$")]
    private static partial System.Text.RegularExpressions.Regex OverloadSuffix();

    private static string OrderFile([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "Runc.Sharp", "CodeOrder.txt"));

    /// <summary>ILC's symbol of a plain method: "runcs_" + the type's full name with '.' and '+' as '_', "__", the method's name.</summary>
    private static readonly HashSet<string> Symbols = typeof(RuncsException).Assembly.GetTypes()
        .Where(t => !t.IsGenericTypeDefinition && t.FullName is not null)
        .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m is MethodBase)
            .Select(m => "runcs_" + t.FullName!.Replace('.', '_').Replace('+', '_') + "__" + m.Name.Replace('.', '_')))
        .ToHashSet();

    [Test]
    public void EveryPlainMethodItNamesStillExists()
    {
        // Plain methods of runcs's own types; lambdas, generic instantiations and explicit
        // interface implementations have mangled names of other shapes.
        var plain = File.ReadAllLines(OrderFile())
            .Where(l => l.StartsWith("runcs_Runc_Sharp_", StringComparison.Ordinal) && l.Split("__").Length == 2 && !l.Contains('<'))
            .ToList();
        Assert.That(plain, Has.Count.GreaterThan(100), "the order file lists runcs's methods");
        // ILC numbers overloads ("__Write_1") and names delegate thunks after the delegate type.
        var gone = plain.Where(l => !l.EndsWith("__InvokeOpenStaticThunk", StringComparison.Ordinal)
                                    && !Symbols.Contains(l) && !Symbols.Contains(OverloadSuffix().Replace(l, ""))).ToList();
        Assert.That(gone, Is.Empty, "CodeOrder.txt names methods that are gone; rerun scripts/code-order.sh:\n" + string.Join("\n", gone));
    }
}
