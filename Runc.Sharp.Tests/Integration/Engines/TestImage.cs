using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration.Engines;

/// <summary>
/// The busybox rootfs as the images the engines load: an OCI image-layout tar made by
/// scripts/make-image.sh (containerd, podman) and a plain rootfs tar (docker import).
/// Each is built once per test run.
/// </summary>
public static class TestImage
{
    public const string Name = "docker.io/library/runcs-busybox:latest";

    private static readonly Lazy<string> Dir = new(() => Directory.CreateTempSubdirectory("runcs-image-").FullName);
    private static readonly Lazy<string> Layout = new(BuildLayout);
    private static readonly Lazy<string> RootfsTar = new(BuildRootfsTar);

    public static string OciArchive => Layout.Value;
    public static string PlainRootfsTar => RootfsTar.Value;

    /// <summary>Removes the built images; called once after every engine fixture has run.</summary>
    public static void Remove()
    {
        if (Dir.IsValueCreated)
            Directory.Delete(Dir.Value, recursive: true);
    }

    private static string BuildLayout()
    {
        var tar = Path.Combine(Dir.Value, "busybox-oci.tar");
        var r = Runcs.Exec(Path.Combine(Runcs.RepoRoot(), "scripts", "make-image.sh"), [Runcs.Rootfs, tar, Name]);
        Assert.That(r.ExitCode, Is.Zero, $"scripts/make-image.sh failed: {r}");
        return tar;
    }

    private static string BuildRootfsTar()
    {
        var tar = Path.Combine(Dir.Value, "busybox-rootfs.tar");
        var r = Runcs.Exec("tar", ["--numeric-owner", "-C", Runcs.Rootfs, "-cf", tar, "."]);
        Assert.That(r.ExitCode, Is.Zero, $"tar of the rootfs failed: {r}");
        return tar;
    }
}
