using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration.Engines;

/// <summary>
/// The busybox rootfs as the images the engines load: an OCI image-layout tar made by
/// scripts/make-image.sh (containerd, podman) and a plain rootfs tar (docker import).
/// Both come from a fresh scripts/make-rootfs.sh rootfs of their own, not the shared one
/// that other tests create mount destinations in. Each is built once per test run.
/// </summary>
public static class TestImage
{
    /// <summary>Named as Docker Hub's busybox so README commands run as written; only ever loaded into the tests' own engine stores.</summary>
    public const string Name = "docker.io/library/busybox:latest";

    /// <summary>A pod sandbox image for the CRI test: the same rootfs, sleeping as its only process.</summary>
    public const string PauseName = "docker.io/library/runcs-pause:latest";

    private static readonly Lazy<string> Dir = new(() => Directory.CreateTempSubdirectory("runcs-image-").FullName);
    private static readonly Lazy<string> Rootfs = new(BuildRootfs);
    private static readonly Lazy<string> Layout = new(() => BuildLayout(Name));
    private static readonly Lazy<string> RootfsTar = new(BuildRootfsTar);
    private static readonly Lazy<string> Pause = new(() => BuildLayout(PauseName, "sleep", "2147483647"));

    public static string OciArchive => Layout.Value;
    public static string PauseArchive => Pause.Value;
    public static string PlainRootfsTar => RootfsTar.Value;

    /// <summary>Removes the built images; called once after every engine fixture has run.</summary>
    public static void Remove()
    {
        if (Dir.IsValueCreated)
            Directory.Delete(Dir.Value, recursive: true);
    }

    private static string BuildRootfs()
    {
        var rootfs = Path.Combine(Dir.Value, "rootfs");
        var r = Runcs.Exec(Path.Combine(Runcs.RepoRoot(), "scripts", "make-rootfs.sh"), [rootfs]);
        Assert.That(r.ExitCode, Is.Zero, $"scripts/make-rootfs.sh failed: {r}");
        return rootfs;
    }

    private static string BuildLayout(string name, params string[] cmd)
    {
        var tar = Path.Combine(Dir.Value, name.Split('/').Last().Replace(':', '-') + ".oci.tar");
        var r = Runcs.Exec(Path.Combine(Runcs.RepoRoot(), "scripts", "make-image.sh"), [Rootfs.Value, tar, name, .. cmd]);
        Assert.That(r.ExitCode, Is.Zero, $"scripts/make-image.sh failed: {r}");
        return tar;
    }

    private static string BuildRootfsTar()
    {
        var tar = Path.Combine(Dir.Value, "busybox-rootfs.tar");
        var r = Runcs.Exec("tar", ["--numeric-owner", "-C", Rootfs.Value, "-cf", tar, "."]);
        Assert.That(r.ExitCode, Is.Zero, $"tar of the rootfs failed: {r}");
        return tar;
    }
}
