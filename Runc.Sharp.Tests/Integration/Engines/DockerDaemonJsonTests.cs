using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration.Engines;

/// <summary>
/// dockerd configured by README's daemon.json snippet (`runtimes` and `default-runtime`):
/// a plain `docker run` and `docker run --runtime runcs` both go through runcs.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DockerDaemonJsonTests
{
    private Docker _docker = null!;

    [OneTimeSetUp]
    public void StartDockerWithTheReadmeConfig()
    {
        var config = Path.Combine(Directory.CreateTempSubdirectory("runcs-daemon-json-").FullName, "daemon.json");
        File.WriteAllText(config, ReadmeSnippet.Get("docker-daemon.json"));
        _docker = Docker.Start("--config-file", config);
        File.Delete(config);
        Directory.Delete(Path.GetDirectoryName(config)!);
        _docker.ImportTestImage();
    }

    [OneTimeTearDown]
    public void StopDocker() => _docker?.Dispose();

    [Test]
    public void DefaultRuntimeIsRuncs() => RunsThroughRuncs();

    [Test]
    public void RuntimeFlagPicksRuncs() => RunsThroughRuncs("--runtime", "runcs");

    private void RunsThroughRuncs(params string[] runtimeFlag)
    {
        var run = _docker.Run(["run", "-d", .. runtimeFlag, "--network", "none", TestImage.Name, "sleep", "1000"]);
        Assert.That(run.ExitCode, Is.Zero, $"docker run: {run}");
        var id = run.Stdout.Trim();
        var runtime = _docker.Run("inspect", "-f", "{{.HostConfig.Runtime}}", id).Stdout.Trim();
        // runcs keeps the container's config (spec.json) beside state.json; runc does not.
        var states = _docker.RuntimeStateDirs(id);
        var ranByRuncs = states.Count == 1 && File.Exists(Path.Combine(states[0], "spec.json"));
        var rm = _docker.Run("rm", "-f", id);
        Assert.Multiple(() =>
        {
            Assert.That(runtime, Is.EqualTo("runcs"));
            Assert.That(ranByRuncs, Is.True, $"the container's state must be runcs's: {string.Join(", ", states)}");
            Assert.That(rm.ExitCode, Is.Zero, rm.ToString());
            Assert.That(_docker.RuntimeStateDirs(id), Is.Empty, "runtime state left behind");
        });
    }
}
