namespace Runc.Sharp;

/// <summary>
/// execve of the container's process failed: the container never ran. runc prints exactly
/// "exec PATH: ERROR" for it, which users and tools know, so the words are runc's; `run`
/// prints it as the container's own error (Cli.CliApp).
/// </summary>
public sealed class ContainerExecFailed(string message) : RuncsException(message);
