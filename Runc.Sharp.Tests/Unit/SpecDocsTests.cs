using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Unit;

/// <summary>
/// spec/*.md ties each requirement to the code and the test that carry it, as `Type.Member`.
/// Every such name must exist, in runcs or in its tests, so that a rename or a removal shows
/// here instead of leaving the docs pointing at nothing.
/// </summary>
public partial class SpecDocsTests
{
    [GeneratedRegex(@"`([^`\n]+)`")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\b([A-Z][A-Za-z0-9]*)\.([A-Z][A-Za-z0-9_]*)\b")]
    private static partial Regex TypeDotMember();

    private static string SpecDir([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "spec"));

    /// <summary>The placeholders spec/ uses to explain the notation.</summary>
    private static readonly string[] Notation = ["Class.Method", "Type.Member"];

    /// <summary>runcs, its tests, and .NET's own (`Path.GetFullPath`).</summary>
    private static readonly Type[] AllTypes =
        [.. typeof(RuncsException).Assembly.GetTypes(), .. typeof(SpecDocsTests).Assembly.GetTypes(), .. typeof(Path).Assembly.GetExportedTypes()];

    private static bool Exists(string type, string member) =>
        AllTypes.Where(t => t.Name == type || t.Name.StartsWith(type + "`", StringComparison.Ordinal))
            .Any(t => t.GetMember(member, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance).Length > 0);

    [Test]
    public void EveryTypeMemberNamedInSpecExists()
    {
        var files = Directory.GetFiles(SpecDir(), "*.md");
        Assert.That(files, Is.Not.Empty, SpecDir());
        var missing = new List<string>();
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            foreach (Match quoted in Quoted().Matches(text))
            {
                foreach (Match name in TypeDotMember().Matches(quoted.Groups[1].Value))
                {
                    var (type, member) = (name.Groups[1].Value, name.Groups[2].Value);
                    // "Runc.Sharp…" names the project, not a type.
                    if (type != "Runc" && !Notation.Contains(name.Value) && !Exists(type, member))
                        missing.Add($"{Path.GetFileName(file)}: {name.Value}");
                }
            }
        }
        var unknown = missing.Distinct().ToList();
        Assert.That(unknown, Is.Empty, "named in spec/ but not in the code:\n" + string.Join("\n", unknown));
    }
}
