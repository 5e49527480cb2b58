using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration;

/// <summary>
/// checkpoint's checks before CRIU, in runc's words (runc's suite, checkpoint.bats
/// "checkpoint --pre-dump (bad --parent-path)"): the state first, then the image paths.
/// </summary>
[TestFixture]
[NonParallelizable]
public class CheckpointTests
{
    [Test]
    public void ACreatedContainerCannotBeCheckpointed()
    {
        using var b = new TestBundle("sleep", "300");
        Assert.That(b.Create().ExitCode, Is.Zero);
        Assert.That(b.Runcs("checkpoint", b.Id),
            Is.EqualTo(new ProcResult(1, "", "runcs: Container cannot be checkpointed in created state\n")));
    }

    [Test]
    public void TheParentPathMustBeARelativeDirectoryOfTheImages()
    {
        using var b = new TestBundle("sleep", "300");
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        var images = Path.Combine(b.Dir, "image-dir");

        Assert.That(b.Runcs("checkpoint", "--parent-path", Path.Combine(b.Dir, "parent-dir"), "--image-path", images, b.Id),
            Is.EqualTo(new ProcResult(1, "", "runcs: --parent-path must be relative\n")));
        Assert.That(Directory.Exists(images), "runc makes the image directory before it checks the parent");

        Assert.That(b.Runcs("checkpoint", "--parent-path", "../parent-dir", "--image-path", images, b.Id),
            Is.EqualTo(new ProcResult(1, "", $"runcs: invalid --parent-path: stat {b.Dir}/parent-dir: no such file or directory\n")));
        File.WriteAllText(Path.Combine(b.Dir, "parent-dir"), "");
        Assert.That(b.Runcs("checkpoint", "--parent-path", "../parent-dir", "--image-path", images, b.Id),
            Is.EqualTo(new ProcResult(1, "", $"runcs: invalid --parent-path: stat {b.Dir}/parent-dir: not a directory\n")));
        Assert.That(b.Runcs("checkpoint", "--image-path", images, b.Id),
            Is.EqualTo(new ProcResult(1, "", "runcs: checkpoint: not implemented yet\n")), "the dump is issue #17: it fails, never pretends");
        Assert.That(b.Status(), Is.EqualTo("running"), "a refused checkpoint leaves the container as it was");
    }
}
