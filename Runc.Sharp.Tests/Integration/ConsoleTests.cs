using System.Net.Sockets;
using System.Text;
using NUnit.Framework;
using Runc.Sharp.Linux;

namespace Runc.Sharp.Tests.Integration;

/// <summary>process.terminal with --console-socket: one SCM_RIGHTS message carrying the pty master.</summary>
[TestFixture]
[NonParallelizable]
public class ConsoleTests
{
    /// <summary>Creates and starts the bundle with a terminal on a console socket; returns what the pty printed until "done".</summary>
    private static string ConsoleOutput(TestBundle b)
    {
        b.Process["terminal"] = true;
        var path = Path.Combine(b.Dir, "console.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        var accept = listener.AcceptAsync();

        var c = b.Create("--console-socket", path);
        Assert.That(c.ExitCode, Is.Zero, c.ToString());
        using var conn = accept.Result;
        int master = UnixSocket.RecvFd((int)conn.Handle, "test console");
        Assert.That(b.Runcs("start", b.Id).ExitCode, Is.Zero);
        using var stream = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(master, ownsHandle: true), FileAccess.ReadWrite, 1);
        var text = new StringBuilder();
        var buf = new byte[256];
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!text.ToString().Contains("done") && DateTime.UtcNow < until)
        {
            int n;
            try
            {
                n = stream.Read(buf);
            }
            catch (IOException)
            {
                break;
            }
            if (n <= 0)
                break;
            text.Append(Encoding.UTF8.GetString(buf, 0, n));
        }
        return text.ToString();
    }

    [Test]
    public void ConsoleSocketReceivesThePtyMaster()
    {
        using var b = new TestBundle("sh", "-c", "tty; stty size; echo done");
        b.Process["consoleSize"] = new System.Text.Json.Nodes.JsonObject { ["height"] = 33, ["width"] = 111 };
        var text = ConsoleOutput(b);
        Assert.That(text, Does.Contain("/dev/pts/0").And.Contain("33 111").And.Contain("done"), text);
    }

    [Test]
    public void ThePtyBelongsToTheProcessUserAndTheTtyGroup()
    {
        // runc's suite, tty.bats "run [tty owner] ({u,g}id != 0)": the uid becomes the user's, the group stays devpts' gid=5.
        using var b = new TestBundle("sh", "-c", "stat -c owner=%u:%g $(tty); echo done");
        b.Process["user"] = new System.Text.Json.Nodes.JsonObject { ["uid"] = 1000, ["gid"] = 100 };
        var text = ConsoleOutput(b);
        Assert.That(text, Does.Contain("owner=1000:5"), text);
    }

    [Test]
    public void TerminalWithoutSocketWhenDetachedIsRefused()
    {
        using var b = new TestBundle("true");
        b.Process["terminal"] = true;
        var r = b.Create();
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.Contain("cannot allocate tty if runcs will detach without setting console socket"));
        Assert.That(Directory.Exists(Path.Combine(b.StateRoot, b.Id)), Is.False);
    }

    [Test]
    public void ConsoleSocketWithoutTerminalIsRefused()
    {
        using var b = new TestBundle("true");
        var r = b.Create("--console-socket", "/tmp/none.sock");
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.Contain("cannot use console socket if runcs will not detach or allocate tty"));
    }
}
