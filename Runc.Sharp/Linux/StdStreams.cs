using System.Text;

namespace Runc.Sharp.Linux;

/// <summary>
/// Console.Out and Console.Error as plain writers on descriptors 1 and 2. .NET's console
/// streams, on their first write, start a signal-handling thread, install handlers for
/// SIGCHLD, SIGCONT and SIGWINCH and probe the terminal: a tenth of `runcs --version`.
/// runcs only writes text, so it needs none of that.
/// </summary>
public static class StdStreams
{
    public static void Install()
    {
        Console.SetOut(Writer(1));
        Console.SetError(Writer(2));
    }

    private static StreamWriter Writer(int fd) => new(new FdStream(fd), new UTF8Encoding(false), 256) { AutoFlush = true };

    /// <summary>
    /// write(2) on a descriptor runcs does not own; a failure is an IOException, as a console
    /// write's, except a reader that went away (`runcs --help | head`): what it did not read is
    /// dropped, and the command goes on to its end, cleanup included.
    /// </summary>
    private sealed class FdStream(int fd) : Stream
    {
        private bool _readerGone;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_readerGone)
                return;
            if (SysCall.WriteAll(fd, buffer) is var errno and not 0)
            {
                if (errno == Native.Errno.EPIPE)
                {
                    _readerGone = true;
                    return;
                }
                throw new IOException($"write to descriptor {fd}: {SyscallException.Describe(errno)}");
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
