using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Cgroups.Systemd;

/// <summary>One received D-Bus message: its header fields and where its body starts.</summary>
public sealed record DbusMessage(byte Type, uint ReplySerial, string? Path, string? Member, string? ErrorName, string Signature, byte[] Raw, int BodyOffset)
{
    public const byte MethodReturn = 2, Error = 3, Signal = 4;

    public DbusReader Body() => new(Raw, BodyOffset);
}

/// <summary>An error reply; <see cref="Name"/> is the D-Bus error name.</summary>
public sealed class DbusErrorException(string name, string message) : RuncsException(message)
{
    public string Name { get; } = name;
}

/// <summary>
/// A peer-to-peer D-Bus connection to systemd (its private socket: no bus daemon, no Hello,
/// and systemd sends its signals to every such connection). Method calls wait for their
/// reply; signals that arrive meanwhile are kept for <see cref="WaitForSignal"/>.
/// </summary>
public sealed unsafe class DbusConnection : IDisposable
{
    private readonly FileDescriptor _socket;
    private readonly List<DbusMessage> _signals = [];
    private readonly List<byte> _received = [];
    private uint _serial;

    private DbusConnection(FileDescriptor socket) => _socket = socket;

    public static DbusConnection Open(string socketPath)
    {
        var connection = new DbusConnection(UnixSocket.Connect(socketPath, "systemd"));
        try
        {
            connection.Authenticate();
            return connection;
        }
        catch (RuncsException)
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// SASL EXTERNAL: the kernel vouches for the uid; its decimal text, hex-encoded, is the
    /// identity. BEGIN goes in the same write, as sd-bus's own clients send it: systemd reads
    /// the authentication in one buffer, and a first message that shared that buffer with
    /// BEGIN sat there unanswered (measured: one StopUnit in three never got its reply).
    /// </summary>
    private void Authenticate()
    {
        var uid = Convert.ToHexString(Encoding.ASCII.GetBytes(Libc.geteuid().ToString(CultureInfo.InvariantCulture)));
        Send(Encoding.ASCII.GetBytes($"\0AUTH EXTERNAL {uid}\r\nBEGIN\r\n"));
        var line = ReadLine(TimeSpan.FromSeconds(5));
        if (!line.StartsWith("OK ", StringComparison.Ordinal))
            throw new RuncsException($"systemd: D-Bus authentication refused: {line}");
    }

    /// <summary>Calls a method and returns its reply; an error reply becomes a <see cref="RuncsException"/>.</summary>
    public DbusMessage Call(string path, string iface, string member, string signature, Action<DbusWriter>? body, TimeSpan timeout)
    {
        uint serial = ++_serial;
        Send(MethodCall(serial, path, iface, member, signature, body));
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var msg = Receive(until, member);
            if (msg.Type == DbusMessage.Signal)
            {
                _signals.Add(msg);
                continue;
            }
            if (msg.ReplySerial != serial)
                continue;
            if (msg.Type == DbusMessage.Error)
            {
                var text = msg.Signature.StartsWith('s') ? msg.Body().String() : "";
                throw new DbusErrorException(msg.ErrorName ?? "", $"systemd: {member}: {text} ({msg.ErrorName})");
            }
            return msg;
        }
    }

    public DbusMessage WaitForSignal(Func<DbusMessage, bool> match, TimeSpan timeout, string what)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var kept = _signals.FirstOrDefault(match);
            if (kept is not null)
            {
                _signals.Remove(kept);
                return kept;
            }
            var msg = Receive(until, what);
            if (msg.Type == DbusMessage.Signal)
                _signals.Add(msg);
        }
    }

    private static byte[] MethodCall(uint serial, string path, string iface, string member, string signature, Action<DbusWriter>? body)
    {
        var b = new DbusWriter();
        body?.Invoke(b);
        var h = new DbusWriter();
        h.Byte((byte)'l');
        h.Byte(1);
        h.Byte(0);
        h.Byte(1);
        h.UInt32((uint)b.Length);
        h.UInt32(serial);
        h.Array(8, () =>
        {
            Field(h, 1, "o", path);
            Field(h, 2, "s", iface);
            Field(h, 3, "s", member);
            Field(h, 6, "s", "org.freedesktop.systemd1");
            if (signature.Length > 0)
                h.Struct(() => { h.Byte(8); h.Variant("g", () => h.Signature(signature)); });
        });
        h.Align(8);
        return [.. h.ToArray(), .. b.ToArray()];
    }

    private static void Field(DbusWriter h, byte code, string type, string value) =>
        h.Struct(() => { h.Byte(code); h.Variant(type, () => h.String(value)); });

    private DbusMessage Receive(DateTime until, string what)
    {
        while (true)
        {
            if (TryParse(out var msg))
                return msg;
            Fill(until, what);
        }
    }

    /// <summary>Takes one whole message off the front of what was received, if there is one.</summary>
    private bool TryParse(out DbusMessage msg)
    {
        msg = null!;
        if (_received.Count < 16)
            return false;
        var head = _received.GetRange(0, 16).ToArray();
        if (head[0] != (byte)'l')
            throw new RuncsException("systemd: big-endian D-Bus messages are not supported");
        var r = new DbusReader(head, 4);
        long bodyLength = r.UInt32();
        r.UInt32();
        long fieldsLength = r.UInt32();
        long headerLength = (16 + fieldsLength + 7) / 8 * 8;
        if (bodyLength + headerLength > 128 << 20)
            throw new RuncsException("systemd: D-Bus message too large");
        if (_received.Count < headerLength + bodyLength)
            return false;
        var raw = _received.GetRange(0, (int)(headerLength + bodyLength)).ToArray();
        _received.RemoveRange(0, raw.Length);

        var f = new DbusReader(raw, 16);
        uint replySerial = 0;
        string? path = null, member = null, error = null;
        string signature = "";
        while (f.Position < 16 + fieldsLength)
        {
            f.Align(8);
            byte code = f.Byte();
            var type = f.Signature();
            switch (code, type)
            {
                case (1, "o"): path = f.String(); break;
                case (3, "s"): member = f.String(); break;
                case (4, "s"): error = f.String(); break;
                case (5, "u"): replySerial = f.UInt32(); break;
                case (8, "g"): signature = f.Signature(); break;
                default: f.Skip(type); break;
            }
        }
        msg = new DbusMessage(raw[1], replySerial, path, member, error, signature, raw, (int)headerLength);
        return true;
    }

    private void Fill(DateTime until, string what)
    {
        var left = until - DateTime.UtcNow;
        if (left <= TimeSpan.Zero)
            throw new RuncsException($"systemd: no answer to {what} in time");
        var pfd = new PollFd { Fd = _socket.Value, Events = 1 /* POLLIN */ };
        int ready = Libc.poll(&pfd, 1, (int)Math.Ceiling(left.TotalMilliseconds));
        if (ready < 0 && Marshal.GetLastPInvokeError() != Errno.EINTR)
            throw SyscallException.FromLast("poll", "systemd D-Bus socket");
        if (ready <= 0)
            return;
        var buffer = new byte[65536];
        fixed (byte* p = buffer)
        {
            var n = Libc.read(_socket.Value, p, buffer.Length);
            if (n == 0)
                throw new RuncsException($"systemd: the D-Bus connection closed during {what}");
            if (n < 0)
            {
                if (Marshal.GetLastPInvokeError() == Errno.EINTR)
                    return;
                throw SyscallException.FromLast("read", "systemd D-Bus socket");
            }
            _received.AddRange(buffer.AsSpan(0, (int)n));
        }
    }

    private string ReadLine(TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            int end = _received.IndexOf((byte)'\n');
            if (end >= 0)
            {
                var line = Encoding.ASCII.GetString(_received.GetRange(0, end + 1).ToArray()).TrimEnd('\r', '\n');
                _received.RemoveRange(0, end + 1);
                return line;
            }
            Fill(until, "authentication");
        }
    }

    private void Send(ReadOnlySpan<byte> bytes)
    {
        int errno = SysCall.WriteAll(_socket.Value, bytes);
        if (errno != 0)
            throw new SyscallException("write", "systemd D-Bus socket", errno);
    }

    public void Dispose() => _socket.Dispose();
}
