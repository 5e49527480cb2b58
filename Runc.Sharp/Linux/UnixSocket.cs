using System.Runtime.InteropServices;
using System.Text;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Linux;

/// <summary>AF_UNIX helpers: connect to a path, socket pairs, and passing one fd with SCM_RIGHTS.</summary>
public static unsafe class UnixSocket
{
    public static FileDescriptor Connect(string path, string what)
    {
        int fd = Libc.socket(Af.UNIX, Af.SOCK_STREAM | Af.SOCK_CLOEXEC, 0);
        if (fd < 0)
            throw SyscallException.FromLast("socket", what);
        var owned = new FileDescriptor(fd);
        var addr = new byte[110];
        addr[0] = (byte)Af.UNIX;
        var name = Encoding.UTF8.GetBytes(path);
        if (name.Length >= 108)
        {
            owned.Dispose();
            throw new RuncsException($"{what} {path}: path too long for a unix socket");
        }
        name.CopyTo(addr, 2);
        fixed (byte* a = addr)
        {
            if (Libc.connect(fd, a, 2 + name.Length + 1) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                owned.Dispose();
                throw new SyscallException("connect", $"{what} {path}", errno);
            }
        }
        return owned;
    }

    public static (FileDescriptor A, FileDescriptor B) SeqPacketPair() => Pair(Af.SOCK_SEQPACKET);

    public static (FileDescriptor A, FileDescriptor B) StreamPair() => Pair(Af.SOCK_STREAM);

    private static (FileDescriptor A, FileDescriptor B) Pair(int type)
    {
        int* sv = stackalloc int[2];
        if (Libc.socketpair(Af.UNIX, type | Af.SOCK_CLOEXEC, 0, sv) != 0)
            throw SyscallException.FromLast("socketpair");
        return (new FileDescriptor(sv[0]), new FileDescriptor(sv[1]));
    }

    /// <summary>One sendmsg: data = <paramref name="payload"/>, exactly one SCM_RIGHTS cmsg with one fd.</summary>
    public static void SendFd(int socket, int fd, ReadOnlySpan<byte> payload, string what)
    {
        const int cmsgLen = 16 + 4; // CMSG_LEN(sizeof(int))
        const int cmsgSpace = 24;   // CMSG_SPACE(sizeof(int))
        byte* control = stackalloc byte[cmsgSpace];
        new Span<byte>(control, cmsgSpace).Clear();
        *(ulong*)control = cmsgLen;
        *(int*)(control + 8) = Af.SOL_SOCKET;
        *(int*)(control + 12) = Af.SCM_RIGHTS;
        *(int*)(control + 16) = fd;
        fixed (byte* data = payload.Length == 0 ? [0] : payload)
        {
            var iov = new IoVec { Base = data, Len = (nuint)Math.Max(payload.Length, 1) };
            var msg = new MsgHdr { Iov = &iov, IovLen = 1, Control = control, ControlLen = cmsgSpace };
            if (Libc.sendmsg(socket, &msg, 0) < 0)
                throw SyscallException.FromLast("sendmsg", what);
        }
    }

    /// <summary>
    /// --pidfd-socket (runc 1.2): a pidfd of <paramref name="pid"/> sent over a connection to
    /// <paramref name="socketPath"/> in one SCM_RIGHTS message whose data is "pidfd".
    /// </summary>
    public static void SendPidfd(string socketPath, int pid, string what)
    {
        long pidfd = Libc.syscall(Sys.pidfd_open, pid, 0, 0, 0, 0, 0);
        if (pidfd < 0)
            throw SyscallException.FromLast("pidfd_open", what);
        using var fd = new FileDescriptor((int)pidfd);
        using var socket = Connect(socketPath, what);
        SendFd(socket.Value, fd.Value, "pidfd"u8, what);
    }

    /// <summary>Receives one message carrying exactly one fd; returns the fd.</summary>
    public static int RecvFd(int socket, string what) => RecvFdAndData(socket, what).Fd;

    /// <summary>Receives one message carrying exactly one fd; returns the fd and the message's data.</summary>
    public static (int Fd, byte[] Data) RecvFdAndData(int socket, string what)
    {
        const int size = 65536;
        var buf = new byte[size];
        byte* control = stackalloc byte[24];
        fixed (byte* b = buf)
        {
            var iov = new IoVec { Base = b, Len = size };
            var msg = new MsgHdr { Iov = &iov, IovLen = 1, Control = control, ControlLen = 24 };
            long n = Libc.recvmsg(socket, &msg, 0x40000000 /* MSG_CMSG_CLOEXEC */);
            if (n < 0)
                throw SyscallException.FromLast("recvmsg", what);
            if (msg.ControlLen < 20 || *(int*)(control + 12) != Af.SCM_RIGHTS)
                throw new RuncsException($"{what}: message carried no file descriptor");
            return (*(int*)(control + 16), buf[..(int)n]);
        }
    }
}
