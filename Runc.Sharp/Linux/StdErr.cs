using System.Text;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Linux;

/// <summary>
/// Lines to fd 2 through write(2). A caller may start runcs with stderr closed or on a
/// broken pipe; then the line is lost, where Console.Error would throw and abort the
/// runtime before it could clean up or write its --log.
/// </summary>
public static unsafe class StdErr
{
    public static void WriteLine(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        fixed (byte* p = bytes)
        {
            int done = 0;
            while (done < bytes.Length)
            {
                var n = Libc.write(2, p + done, bytes.Length - done);
                if (n <= 0)
                    return;
                done += (int)n;
            }
        }
    }
}
