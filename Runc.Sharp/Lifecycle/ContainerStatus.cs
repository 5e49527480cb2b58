namespace Runc.Sharp.Lifecycle;

public enum ContainerStatus
{
    Creating,
    Created,
    Running,
    Paused,
    Stopped,
}

public static class ContainerStatusText
{
    public static string ToText(this ContainerStatus status) => status switch
    {
        ContainerStatus.Creating => "creating",
        ContainerStatus.Created => "created",
        ContainerStatus.Running => "running",
        ContainerStatus.Paused => "paused",
        _ => "stopped",
    };
}
