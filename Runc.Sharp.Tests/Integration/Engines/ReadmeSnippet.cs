using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration.Engines;

/// <summary>
/// A code block of README.md marked `&lt;!-- snippet: NAME … --&gt;`, so the tests use the
/// configuration exactly as users copy it, with /usr/local/bin/runcs swapped for the runcs
/// under test.
/// </summary>
public static class ReadmeSnippet
{
    public const string InstalledPath = "/usr/local/bin/runcs";

    public static string Get(string name)
    {
        var readme = File.ReadAllText(Path.Combine(Runcs.RepoRoot(), "README.md"));
        var m = Regex.Match(readme, $@"<!-- snippet: {Regex.Escape(name)}\b[^>]*-->\s*```[a-z]*\n(.*?)```", RegexOptions.Singleline);
        Assert.That(m.Success, Is.True, $"README.md has no snippet marked {name}");
        Assert.That(m.Groups[1].Value, Does.Contain(InstalledPath), $"README snippet {name} no longer names {InstalledPath}");
        return m.Groups[1].Value.Replace(InstalledPath, Runcs.Binary);
    }
}
