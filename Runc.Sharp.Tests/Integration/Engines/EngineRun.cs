using NUnit.Framework;

namespace Runc.Sharp.Tests.Integration.Engines;

/// <summary>Runs once after all the engine fixtures (containerd, podman, docker).</summary>
[SetUpFixture]
public sealed class EngineRun
{
    [OneTimeTearDown]
    public void RemoveImages() => TestImage.Remove();
}
