using System.Text;
using System.Text.Json;
using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Lifecycle;

/// <summary>
/// linux.seccomp.listenerPath: the seccomp notify fd of a container process goes to the
/// listener in one message over a stream unix socket, with the container process state of
/// runtime-spec (ociVersion, fds ["seccompFd"], pid, metadata, state) as its data.
/// </summary>
public static class SeccompListener
{
    public static void Send(Spec.Seccomp config, string ociVersion, int pid, string stateJson, int notifyFd)
    {
        try
        {
            FileDescriptor socket;
            try
            {
                socket = UnixSocket.Connect(config.ListenerPath!, "linux.seccomp.listenerPath");
            }
            catch (RuncsException e)
            {
                // runc's words, which tools match on.
                throw new RuncsException($"failed to connect with seccomp agent specified in the seccomp profile: {e.Message}");
            }
            using (socket)
                UnixSocket.SendFd(socket.Value, notifyFd, ProcessState(config, ociVersion, pid, stateJson), "linux.seccomp.listenerPath");
        }
        finally
        {
            Libc.close(notifyFd);
        }
    }

    public static byte[] ProcessState(Spec.Seccomp config, string ociVersion, int pid, string stateJson)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("ociVersion", ociVersion);
            w.WriteStartArray("fds");
            w.WriteStringValue("seccompFd");
            w.WriteEndArray();
            w.WriteNumber("pid", pid);
            w.WriteString("metadata", config.ListenerMetadata ?? "");
            w.WritePropertyName("state");
            w.WriteRawValue(Encoding.UTF8.GetBytes(stateJson));
            w.WriteEndObject();
        }
        return ms.ToArray();
    }
}
