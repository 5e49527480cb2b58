using Runc.Sharp.Linux.Native;
using Runc.Sharp.Spec;
using Runc.Sharp.Spec.Codec;

namespace Runc.Sharp.Cli.Commands;

public static class SpecCommand
{
    public static CommandDef Define()
    {
        var bundle = Flags.Text("--bundle", "path to the root of the bundle directory", "-b");
        var rootless = Flags.Bool("--rootless", "generate a configuration for a rootless container");
        return new CommandDef("spec", "create a new specification file", "", 0, 0, [bundle, rootless], inv =>
        {
            var dir = inv.Get(bundle) is { Length: > 0 } b ? b : ".";
            var path = Path.Combine(dir, SpecReader.ConfigFileName);
            if (File.Exists(path) || Directory.Exists(path))
                throw new RuncsException("File config.json exists. Remove it first");
            if (!Directory.Exists(dir))
                throw new RuncsException($"bundle {dir}: no such directory");
            var spec = Lifecycle.SpecDefaults.ForThisHost(inv.Get(rootless));
            var bytes = SpecEncoder.Encode(spec, tabbed: true);
            try
            {
                using var fs = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                fs.Write(bytes);
            }
            catch (UnauthorizedAccessException)
            {
                throw new RuncsException($"write {path}: permission denied");
            }
            catch (IOException e)
            {
                throw new RuncsException($"write {path}: {e.Message}");
            }
            return 0;
        });
    }
}
