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
/// application's topology names no topic or bake project. (How long the deployment lock lives follows from each
/// request's strategy: <see cref="ExecutionBudget"/>.)
/// </summary>
public sealed record WorkflowSettings(string? DeploymentTopicArn = null, string? BakeProject = null)
{
    /// <summary>
    /// How long a lock taken outside a deployment's own run (a cleanup acting for a stopped execution) lives unless it is
    /// released first. A deployment's own lock follows its strategy instead (<see cref="ExecutionBudget"/>).
    /// </summary>
    public const int DefaultLockSeconds = 2 * 24 * 3600;

    public static WorkflowSettings Default { get; } = new();
}
