using System.Globalization;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Linux;

/// <summary>File owners as runc's list shows them: the user name from /etc/passwd, else "#uid".</summary>
public static class Owners
{
    /// <summary>The owner's uid; null when the path is gone (a container deleted while it is listed).</summary>
    public static unsafe uint? UidOf(string path)
    {
        Stat st;
        if (Libc.fstatat(-100, path, &st, 0) == 0)
            return st.Uid;
        if (System.Runtime.InteropServices.Marshal.GetLastPInvokeError() is Errno.ENOENT)
            return null;
        throw SyscallException.FromLast("stat", path);
    }

    public static string NameOf(uint uid)
    {
        var text = uid.ToString(CultureInfo.InvariantCulture);
        if (File.Exists("/etc/passwd"))
        {
            foreach (var line in File.ReadLines("/etc/passwd"))
            {
                var f = line.Split(':');
                if (f.Length > 2 && f[2] == text)
                    return f[0];
            }
        }
        return "#" + text;
    }
}
