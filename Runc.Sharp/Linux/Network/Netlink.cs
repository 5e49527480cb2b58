using System.Buffers.Binary;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Linux.Network;

/// <summary>
/// A NETLINK_ROUTE socket, in the network namespace it was made in: requests built from
/// attributes, each acknowledged (or a dump read to its end), errors as the errno the kernel
/// gave. Only what moving a network device needs.
/// </summary>
public sealed unsafe class Netlink : IDisposable
{
    private const int AfNetlink = 16, SockRaw = 3, NetlinkRoute = 0;
    private const ushort FRequest = 1, FAck = 4, FDump = 0x300, FExcl = 0x200, FCreate = 0x400;
    private const ushort Error = 2, Done = 3;
    public const ushort NewLink = 16, GetLink = 18, NewAddr = 20, GetAddr = 22;
    private const int HeaderSize = 16;

    private readonly FileDescriptor _fd;
    private uint _seq;

    private Netlink(FileDescriptor fd) => _fd = fd;

    /// <summary>A socket in this thread's network namespace.</summary>
    public static Netlink Open()
    {
        int fd = Libc.socket(AfNetlink, SockRaw | Af.SOCK_CLOEXEC, NetlinkRoute);
        if (fd < 0)
            throw SyscallException.FromLast("socket(AF_NETLINK)", "NETLINK_ROUTE");
        return new Netlink(new FileDescriptor(fd));
    }

    /// <summary>A socket in the network namespace <paramref name="netnsFd"/> names: made by a thread that enters it, and usable from any thread after.</summary>
    public static Netlink OpenIn(int netnsFd, string what)
    {
        Netlink? made = null;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                if (Libc.setns(netnsFd, (int)Clone.NEWNET) != 0)
                    throw SyscallException.FromLast("setns", what);
                made = Open();
            }
            catch (Exception e)
            {
                error = e;
            }
        })
        { IsBackground = true, Name = "netlink" };
        thread.Start();
        thread.Join();
        return made ?? throw (error as RuncsException ?? new RuncsException($"{what}: {Unexpected.Describe(error!)}"));
    }

    /// <summary>Sends a request and waits for its acknowledgement; a refusal is the kernel's errno.</summary>
    public void Request(ushort type, ReadOnlySpan<byte> body, string what, bool create = false)
    {
        uint seq = Send(type, (ushort)(FRequest | FAck | (create ? FCreate | FExcl : 0)), body);
        foreach (var (msgType, payload) in Replies(seq, t => t == Error))
        {
            if (msgType == Error)
            {
                int errno = -BinaryPrimitives.ReadInt32LittleEndian(payload);
                if (errno != 0)
                    throw new SyscallException("netlink", what, errno);
                return;
            }
        }
        throw new RuncsException($"netlink {what}: no acknowledgement from the kernel");
    }

    /// <summary>A dump request: the payload of every message of <paramref name="replyType"/> it returns.</summary>
    public List<byte[]> Dump(ushort type, ReadOnlySpan<byte> body, ushort replyType, string what)
    {
        uint seq = Send(type, FRequest | FDump, body);
        var found = new List<byte[]>();
        foreach (var (msgType, payload) in Replies(seq, t => t == Done))
        {
            if (msgType == Done)
                return found;
            if (msgType == Error && BinaryPrimitives.ReadInt32LittleEndian(payload) is var e and not 0)
                throw new SyscallException("netlink", what, -e);
            if (msgType == replyType)
                found.Add(payload);
        }
        return found;
    }

    /// <summary>A single request answered by one message of <paramref name="replyType"/> (RTM_GETLINK by name).</summary>
    public byte[] Get(ushort type, ReadOnlySpan<byte> body, ushort replyType, string what)
    {
        uint seq = Send(type, FRequest, body);
        foreach (var (msgType, payload) in Replies(seq, t => t == replyType))
        {
            if (msgType == Error)
                throw new SyscallException("netlink", what, -BinaryPrimitives.ReadInt32LittleEndian(payload));
            if (msgType == replyType)
                return payload;
        }
        throw new RuncsException($"netlink {what}: no answer from the kernel");
    }

    private uint Send(ushort type, ushort flags, ReadOnlySpan<byte> body)
    {
        uint seq = ++_seq;
        var message = new byte[HeaderSize + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), seq);
        body.CopyTo(message.AsSpan(HeaderSize));
        fixed (byte* p = message)
        {
            if (Libc.write(_fd.Value, p, message.Length) != message.Length)
                throw SyscallException.FromLast("netlink", "send");
        }
        return seq;
    }

    /// <summary>The replies to <paramref name="seq"/>, up to the first for which <paramref name="last"/> holds.</summary>
    private List<(ushort Type, byte[] Payload)> Replies(uint seq, Func<ushort, bool> last)
    {
        var replies = new List<(ushort, byte[])>();
        var buffer = new byte[65536];
        while (true)
        {
            nint n;
            fixed (byte* p = buffer)
                n = Libc.recv(_fd.Value, p, buffer.Length, 0);
            if (n < 0)
                throw SyscallException.FromLast("netlink", "receive");
            if (n == 0)
                return replies;
            for (int at = 0; at + HeaderSize <= n;)
            {
                int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(at));
                if (length < HeaderSize || at + length > n)
                    throw new RuncsException("netlink: a malformed reply from the kernel");
                ushort type = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(at + 4));
                uint replySeq = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(at + 8));
                var payload = buffer.AsSpan(at + HeaderSize, length - HeaderSize).ToArray();
                at += Align(length);
                if (replySeq != seq)
                    continue;
                replies.Add((type, payload));
                if (last(type) || type is Error or Done)
                    return replies;
            }
        }
    }

    public static int Align(int length) => (length + 3) & ~3;

    /// <summary>An rtattr: length, type, data, padded to 4 bytes.</summary>
    public static byte[] Attribute(ushort type, ReadOnlySpan<byte> data)
    {
        var a = new byte[Align(4 + data.Length)];
        BinaryPrimitives.WriteUInt16LittleEndian(a, (ushort)(4 + data.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(a.AsSpan(2), type);
        data.CopyTo(a.AsSpan(4));
        return a;
    }

    /// <summary>The attributes after a fixed header of <paramref name="offset"/> bytes.</summary>
    public static IEnumerable<(ushort Type, byte[] Data)> Attributes(byte[] payload, int offset)
    {
        for (int at = offset; at + 4 <= payload.Length;)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(at));
            if (length < 4 || at + length > payload.Length)
                yield break;
            yield return ((ushort)(BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(at + 2)) & 0x3fff), payload.AsSpan(at + 4, length - 4).ToArray());
            at += Align(length);
        }
    }

    public void Dispose() => _fd.Dispose();
}
