using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Runc.Sharp.Linux;

namespace Runc.Sharp.Tests.Integration;

/// <summary>
/// A seccomp notify listener, as a user's agent would be: it accepts runcs's connection on
/// its socket, takes the notify fd and the container process state, then answers each
/// notified syscall with the next of <paramref name="answers"/> (0: pretend success; a
/// negative errno: fail with it).
/// </summary>
public sealed partial class NotifyListener : IDisposable
{
    private readonly Socket _socket;
    private readonly Task _serve;

    public string Path { get; }
    public JsonObject? State { get; private set; }
    public List<int> Syscalls { get; } = [];

    public NotifyListener(string dir, params int[] answers)
    {
        Path = System.IO.Path.Combine(dir, "notify.sock");
        _socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(Path));
        _socket.Listen(1);
        _serve = Task.Run(async () =>
        {
            using var conn = await _socket.AcceptAsync();
            var (fd, data) = UnixSocket.RecvFdAndData((int)conn.Handle, "notify listener");
            State = JsonNode.Parse(Encoding.UTF8.GetString(data))!.AsObject();
            try
            {
                foreach (var answer in answers)
                    Answer(fd, answer);
            }
            finally
            {
                close(fd);
            }
        });
    }

    /// <summary>Waits for the listener to have served every answer.</summary>
    public void Wait(TimeSpan timeout)
    {
        if (!_serve.Wait(timeout))
            throw new TimeoutException("the notify listener did not get all its syscalls");
    }

    // struct seccomp_notif (80 bytes) and struct seccomp_notif_resp (24 bytes), x86_64.
    private const ulong NotifRecv = 0xc0502100, NotifSend = 0xc0182101;

    private unsafe void Answer(int fd, int answer)
    {
        byte* notif = stackalloc byte[80];
        new Span<byte>(notif, 80).Clear();
        if (ioctl(fd, NotifRecv, notif) != 0)
            throw new IOException($"SECCOMP_IOCTL_NOTIF_RECV: errno {Marshal.GetLastPInvokeError()}");
        Syscalls.Add(*(int*)(notif + 16));
        byte* resp = stackalloc byte[24];
        new Span<byte>(resp, 24).Clear();
        *(ulong*)resp = *(ulong*)notif;
        *(int*)(resp + 16) = answer;
        if (ioctl(fd, NotifSend, resp) != 0)
            throw new IOException($"SECCOMP_IOCTL_NOTIF_SEND: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int ioctl(int fd, ulong request, byte* arg);

    [LibraryImport("libc")]
    private static partial int close(int fd);

    public void Dispose() => _socket.Dispose();
}
