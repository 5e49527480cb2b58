using System.Text.Json;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Launch;

/// <summary>
/// System.Text.Json builds a context's metadata for a type graph on its first use, ~4 ms
/// for the spec's graph here. The init serializes a config shaped like a real one while
/// the parent is still preparing the container, so that building is off the critical path
/// (run of /bin/true: ~34 -> ~30 ms). Doing the same on a thread of the parent gained nothing.
/// </summary>
public static class JsonWarmup
{
    public static void InitConfig() =>
        JsonSerializer.SerializeToUtf8Bytes(new InitConfig { Id = "", Bundle = "", Rootfs = "", Spec = DefaultSpec.Example() }, LaunchJson.Default.InitConfig);
}
