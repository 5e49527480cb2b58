using System.Net.Sockets;
using Grpc.Net.Client;
using NUnit.Framework;
using Runc.Sharp.Tests.Integration.Engines.Cri;
using static Runc.Sharp.Tests.Integration.Engines.SideBySide;

namespace Runc.Sharp.Tests.Integration.Engines;

/// <summary>
/// containerd's CRI plugin configured with README's containerd snippet, driven over the
/// kubelet's gRPC API: a pod sandbox on the node's network with runtime handler "runcs"
/// (the snippet's BinaryName) or "runc" (containerd's default), a container in it, exec,
/// stop and removal. Both handlers must show the same.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class CriTests
{
    private Containerd _ctd = null!;
    private GrpcChannel _channel = null!;
    private RuntimeService.RuntimeServiceClient _cri = null!;
    private string _logs = null!;

    /// <summary>
    /// The CRI asks for oom_score_adj -998 for sandboxes, which this host refuses to runc and
    /// runcs alike (no CAP_SYS_RESOURCE here); restrict_oom_score_adj keeps it at the daemon's.
    /// </summary>
    [OneTimeSetUp]
    public void StartContainerdWithTheCri()
    {
        var snippet = ReadmeSnippet.Get("containerd-v2");
        Assert.That(snippet, Does.StartWith("version = 2\n"), "the README snippet is a version 2 config");
        _ctd = Containerd.Start($"""
            [plugins."io.containerd.grpc.v1.cri"]
              sandbox_image = "{TestImage.PauseName}"
              restrict_oom_score_adj = true
            {snippet["version = 2\n".Length..]}
            """);
        _ctd.Import(TestImage.OciArchive, "k8s.io");
        _ctd.Import(TestImage.PauseArchive, "k8s.io");
        _channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, ct) =>
                {
                    var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(_ctd.Socket), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            },
        });
        _cri = new RuntimeService.RuntimeServiceClient(_channel);
        _logs = Path.Combine(_ctd.Dir, "pod-logs");
        Directory.CreateDirectory(_logs);
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _channel?.Dispose();
        _ctd?.Dispose();
    }

    [Test]
    public void CriVersionNamesContainerd()
    {
        var v = _cri.Version(new VersionRequest { Version = "v1" });
        Assert.That((v.RuntimeName, v.RuntimeApiVersion), Is.EqualTo(("containerd", "v1")));
    }

    [Test]
    public void APodRunsExecsStopsAndIsRemoved() => SideBySide.Same("containerd's CRI", runtime =>
    {
        var name = runtime.ContainerName();
        var sandboxConfig = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = name, Uid = Guid.NewGuid().ToString(), Namespace = "default" },
            LogDirectory = _logs,
            Linux = new LinuxPodSandboxConfig
            {
                SecurityContext = new LinuxSandboxSecurityContext { NamespaceOptions = new NamespaceOption { Network = NamespaceMode.Node } },
            },
        };
        var pod = _cri.RunPodSandbox(new RunPodSandboxRequest { Config = sandboxConfig, RuntimeHandler = runtime.Name }).PodSandboxId;
        var container = _cri.CreateContainer(new CreateContainerRequest
        {
            PodSandboxId = pod,
            SandboxConfig = sandboxConfig,
            Config = new ContainerConfig
            {
                Metadata = new ContainerMetadata { Name = "main" },
                Image = new ImageSpec { Image = TestImage.Name },
                Command = { "sh", "-c", "echo started; exec sleep 1000" },
                LogPath = $"{name}.log",
            },
        }).ContainerId;
        _cri.StartContainer(new StartContainerRequest { ContainerId = container });
        var usedRunc = !File.Exists(Path.Combine("/run/containerd/runc/k8s.io", container, "spec.json"));
        var running = _cri.ContainerStatus(new ContainerStatusRequest { ContainerId = container }).Status;
        var exec = _cri.ExecSync(new ExecSyncRequest { ContainerId = container, Cmd = { "sh", "-c", "echo in-exec; cat /proc/1/cmdline | tr '\\0' ' '; exit 3" }, Timeout = 30 });
        _cri.StopContainer(new StopContainerRequest { ContainerId = container, Timeout = 0 });
        var stopped = _cri.ContainerStatus(new ContainerStatusRequest { ContainerId = container }).Status;
        var log = File.ReadAllLines(Path.Combine(_logs, $"{name}.log")).Select(l => l.Split(' ', 4).Last());
        _cri.RemoveContainer(new RemoveContainerRequest { ContainerId = container });
        _cri.StopPodSandbox(new StopPodSandboxRequest { PodSandboxId = pod });
        _cri.RemovePodSandbox(new RemovePodSandboxRequest { PodSandboxId = pod });
        Assert.That(usedRunc, Is.EqualTo(runtime.Name == "runc"),
            $"handler {runtime.Name} must run {runtime.Binary}: runcs keeps spec.json beside state.json, runc does not");
        Assert.That(Directory.Exists(Path.Combine("/run/containerd/runc/k8s.io", container)), Is.False, $"{runtime.Name}: runtime state left behind");
        Assert.That(Directory.Exists(Path.Combine("/run/containerd/runc/k8s.io", pod)), Is.False, $"{runtime.Name}: sandbox state left behind");
        return $"{running.State}\nexec exit {exec.ExitCode}: {exec.Stdout.ToStringUtf8()}\n{stopped.State} {stopped.ExitCode} {stopped.Reason}\nlog: {string.Join('|', log)}";
    }, t => Assert.That(t, Is.EqualTo("ContainerRunning\nexec exit 3: in-exec\nsleep 2147483647 \nContainerExited 137 Error\nlog: started"),
        "the container joins the pod's pid namespace by path, so its pid 1 is the sandbox's sleep"));
}
