namespace Runc.Sharp.Spec;

/// <summary>A problem with the bundle's configuration, named by its JSON path.</summary>
public sealed class ConfigError : RuncsException
{
    public ConfigError(string message) : base(message) { }
}
