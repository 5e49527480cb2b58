using System.Net.Sockets;
using System.Text;
using NUnit.Framework;
using Runc.Sharp.Linux;

namespace Runc.Sharp.Tests.Integration;

/// <summary>--pidfd-socket (runc 1.2, used by containerd 2): a pidfd of the container's init, or of the exec'd process, arrives on the socket.</summary>
[TestFixture]
[NonParallelizable]
public class PidfdSocketTests
{
    /// <summary>Listens on a socket in <paramref name="dir"/>; the task yields the pid the received pidfd refers to, and the message data.</summary>
    private static (string Path, Task<(int Pid, string Data)> Received, Socket Listener) Listen(string dir)
    {
        var path = Path.Combine(dir, "pidfd.sock");
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        var received = Task.Run(async () =>
        {
            using var conn = await listener.AcceptAsync();
            var (fd, data) = UnixSocket.RecvFdAndData((int)conn.Handle, "test pidfd socket");
            // A pidfd's fdinfo names the process it refers to.
            var pidLine = File.ReadAllLines($"/proc/self/fdinfo/{fd}").First(l => l.StartsWith("Pid:", StringComparison.Ordinal));
            new FileDescriptor(fd).Dispose();
            return (int.Parse(pidLine.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]), Encoding.UTF8.GetString(data));
        });
        return (path, received, listener);
    }

    [Test]
    public void CreateSendsAPidfdOfTheInit()
    {
        using var b = new TestBundle("sleep", "100");
        var (path, received, listener) = Listen(b.Dir);
        using (listener)
        {
            var r = b.Create("--pidfd-socket", path);
            Assert.That(r.ExitCode, Is.Zero, r.ToString());
            Assert.That(received.Wait(TimeSpan.FromSeconds(10)), Is.True, "no pidfd arrived");
            Assert.That(received.Result, Is.EqualTo((b.State()["pid"]!.GetValue<int>(), "pidfd")));
        }
    }

    [Test]
    public void ExecSendsAPidfdOfTheExecdProcess()
    {
        using var b = new TestBundle("sleep", "100");
        Assert.That(b.Run("-d").ExitCode, Is.Zero);
        var (path, received, listener) = Listen(b.Dir);
        using (listener)
        {
            var pidFile = Path.Combine(b.Dir, "exec.pid");
            var r = b.Runcs("exec", "-d", "--pid-file", pidFile, "--pidfd-socket", path, b.Id, "sleep", "50");
            Assert.That(r.ExitCode, Is.Zero, r.ToString());
            Assert.That(received.Wait(TimeSpan.FromSeconds(10)), Is.True, "no pidfd arrived");
            Assert.That(received.Result.Pid, Is.EqualTo(int.Parse(File.ReadAllText(pidFile))));
        }
        b.Runcs("delete", "--force", b.Id);
    }
}
