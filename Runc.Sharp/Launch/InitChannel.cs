using System.Runtime.InteropServices;
using System.Text;
using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Launch;

/// <summary>The typed messages the parent and the init stage exchange.</summary>
public enum MessageType : byte
{
    /// <summary>Parent → init: the <see cref="InitConfig"/> as JSON.</summary>
    Config = 1,
    /// <summary>Init → parent: mounts are done; run prestart and createRuntime hooks now.</summary>
    RunHooks = 2,
    /// <summary>Parent → init: those hooks succeeded.</summary>
    HooksDone = 3,
    /// <summary>Init → parent: setup finished; init now waits on exec.fifo.</summary>
    Ready = 4,
    /// <summary>Either way: a failure (<see cref="InitFailure"/>'s encoding). The sender then gives up.</summary>
    Error = 5,
    /// <summary>
    /// Parent → init, after Ready: the container is recorded in its state; the init is handed
    /// over and no longer dies with its parent. End of file instead means the parent died first.
    /// </summary>
    Commit = 8,
    /// <summary>Init → parent: open this bind source for me (payload: recursive byte, then the path).</summary>
    MountSourceRequest = 11,
    /// <summary>Parent → init: the next message carries the detached tree of the requested bind source.</summary>
    MountSourceFollows = 12,
    /// <summary>Parent → init: the message with that tree's descriptor.</summary>
    MountSourceFd = 13,
    /// <summary>Init → parent, with --debug: a step for the log at debug level.</summary>
    Debug = 10,
    /// <summary>Init → parent: a warning for the user (one line); the init goes on.</summary>
    Warning = 9,
    /// <summary>Init → parent: the next message carries the seccomp notify fd (SCM_RIGHTS) for the listener.</summary>
    SeccompFdFollows = 6,
    /// <summary>Init → parent: the message with the seccomp notify fd.</summary>
    SeccompFd = 7,
    /// <summary>
    /// The raw clone child → parent, when it forked the init inside a pid namespace it
    /// joined itself (payload: the init's host pid, int32). See <see cref="SpawnRequest.ForkInside"/>.
    /// </summary>
    ChildForked = 0xFD,
    /// <summary>The raw clone child → parent: a step failed before exec (payload: step byte, errno int).</summary>
    ChildFailed = 0xFE,
}

public readonly record struct Message(MessageType Type, byte[] Payload)
{
    public string Text => Encoding.UTF8.GetString(Payload);
}

/// <summary>One end of the SOCK_SEQPACKET pair: each send is exactly one message.</summary>
public sealed unsafe class InitChannel(FileDescriptor fd) : IDisposable
{
    private const int MaxMessage = 1 << 20;

    public FileDescriptor Fd { get; } = fd;

    public void Send(MessageType type, ReadOnlySpan<byte> payload)
    {
        var buf = new byte[payload.Length + 1];
        buf[0] = (byte)type;
        payload.CopyTo(buf.AsSpan(1));
        fixed (byte* p = buf)
        {
            while (Libc.write(Fd.Value, p, buf.Length) < 0)
            {
                if (Marshal.GetLastPInvokeError() != Errno.EINTR)
                    throw SyscallException.FromLast("write", "init channel");
            }
        }
    }

    public void Send(MessageType type, string text = "") => Send(type, Encoding.UTF8.GetBytes(text));

    /// <summary>The next message, or null when the other side closed (or died).</summary>
    public Message? Receive()
    {
        // Peek at the size first (MSG_TRUNC reports a datagram's full length), then read it exactly.
        const int MSG_PEEK = 2, MSG_TRUNC = 0x20;
        byte probe;
        long size = Recv(&probe, 1, MSG_PEEK | MSG_TRUNC);
        if (size == 0)
            return null;
        if (size > MaxMessage)
            throw new RuncsException($"init channel: message of {size} bytes is too large");
        var buf = new byte[size];
        fixed (byte* p = buf)
        {
            long n = Recv(p, buf.Length, 0);
            if (n == 0)
                return null;
            return new Message((MessageType)buf[0], buf.AsSpan(1, (int)n - 1).ToArray());
        }
    }

    /// <summary>
    /// The type of the next message, read with plain read(2) (a seccomp filter may deny recv);
    /// null at end of file. For messages without a payload.
    /// </summary>
    public MessageType? ReadSmall()
    {
        byte* buf = stackalloc byte[16];
        while (true)
        {
            long n = Libc.read(Fd.Value, buf, 16);
            if (n > 0)
                return (MessageType)buf[0];
            if (n == 0)
                return null;
            if (Marshal.GetLastPInvokeError() != Errno.EINTR)
                throw SyscallException.FromLast("read", "init channel");
        }
    }

    private long Recv(byte* buffer, int length, int flags)
    {
        while (true)
        {
            long n = Libc.recv(Fd.Value, buffer, length, flags);
            if (n >= 0)
                return n;
            // A peer that died with messages of ours unread resets the socket: that is its end too.
            if (Marshal.GetLastPInvokeError() == Errno.ECONNRESET)
                return 0;
            if (Marshal.GetLastPInvokeError() != Errno.EINTR)
                throw SyscallException.FromLast("recv", "init channel");
        }
    }

    public void Dispose() => Fd.Dispose();
}
