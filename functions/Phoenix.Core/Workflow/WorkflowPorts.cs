using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

/// <summary>Every port the workflow steps use. Production wires the AWS adapters, the simulation its region.</summary>
public sealed record WorkflowPorts(
    ITopologyStore Topologies,
    IAutoScaling AutoScaling,
    IEc2 Ec2,
    ILoadBalancer LoadBalancer,
    IAlarms Alarms,
    IImageBaker Baker,
    IDeploymentLock Locks,
    IDeploymentLedger Ledger,
    INotifier Notifier);

/// <summary>
/// Deployment-wide configuration the Lambda host reads from its environment: the fallbacks used when an
/// application's topology names no topic or bake project, and how long a lock lives before it may be taken over.
/// </summary>
public sealed record WorkflowSettings(string? DeploymentTopicArn = null, string? BakeProject = null, int LockSeconds = WorkflowSettings.DefaultLockSeconds)
{
    /// <summary>Longer than any execution can run (approval waits up to a day), so a live deployment never loses its lock.</summary>
    public const int DefaultLockSeconds = 2 * 24 * 3600;

    public static WorkflowSettings Default { get; } = new();
}
