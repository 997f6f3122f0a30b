namespace Phoenix.Cli.Simulation;

/// <summary>
/// How long things take in the simulated region. Defaults are the AWS defaults where AWS has one (ALB target group
/// health checks, deregistration delay, Auto Scaling health check grace period) and typical observed figures where it
/// does not (EC2 launch, application boot, image bake).
/// </summary>
public sealed record SimulationTimings
{
    /// <summary>RunInstances to EC2 "running" and the Auto Scaling lifecycle state InService.</summary>
    public TimeSpan InstanceLaunch { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>From "running" until the application answers its health check (user data, service start).</summary>
    public TimeSpan ApplicationBoot { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>ALB target group HealthCheckIntervalSeconds (default 30).</summary>
    public TimeSpan HealthCheckInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>ALB target group HealthCheckTimeoutSeconds (default 5): a failing check is known only after it.</summary>
    public TimeSpan HealthCheckTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>ALB target group HealthyThresholdCount (default 5).</summary>
    public int HealthyThreshold { get; init; } = 5;

    /// <summary>ALB target group UnhealthyThresholdCount (default 2).</summary>
    public int UnhealthyThreshold { get; init; } = 2;

    /// <summary>Target group deregistration_delay.timeout_seconds (default 300): how long a target drains.</summary>
    public TimeSpan DeregistrationDelay { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Auto Scaling HealthCheckGracePeriod (default 300 s with ELB health checks).</summary>
    public TimeSpan HealthCheckGracePeriod { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>A CodeBuild project running Packer: source, provisioning, AMI snapshot.</summary>
    public TimeSpan Bake { get; init; } = TimeSpan.FromMinutes(8);

    public static SimulationTimings Default { get; } = new();

    /// <summary>The lower bound of a deployment's time to healthy green capacity:
    /// launch + boot + healthy threshold × interval (the listener change itself is instantaneous here).</summary>
    public TimeSpan HealthyFloor => InstanceLaunch + ApplicationBoot + (HealthCheckInterval * HealthyThreshold);

    internal void Validate()
    {
        if (InstanceLaunch < TimeSpan.Zero || ApplicationBoot < TimeSpan.Zero || DeregistrationDelay < TimeSpan.Zero
            || HealthCheckGracePeriod < TimeSpan.Zero || Bake < TimeSpan.Zero)
        {
            throw new ArgumentException("Simulation timings cannot be negative.", nameof(SimulationTimings));
        }

        if (HealthCheckInterval <= TimeSpan.Zero || HealthCheckTimeout <= TimeSpan.Zero || HealthCheckTimeout >= HealthCheckInterval)
        {
            throw new ArgumentException(
                $"Health check interval ({HealthCheckInterval.TotalSeconds} s) must be positive and longer than its timeout ({HealthCheckTimeout.TotalSeconds} s).",
                nameof(SimulationTimings));
        }

        if (HealthyThreshold is < 2 or > 10 || UnhealthyThreshold is < 2 or > 10)
        {
            throw new ArgumentException(
                $"Health check thresholds must be 2..10 as in ELBv2 (healthy {HealthyThreshold}, unhealthy {UnhealthyThreshold}).",
                nameof(SimulationTimings));
        }
    }
}
