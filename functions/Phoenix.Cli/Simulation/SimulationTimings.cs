namespace Phoenix.Cli.Simulation;

/// <summary>
/// How long things take in the simulated region. Defaults are the shipped fleet's (cdk/Phoenix.Cdk BlueGreenFleet:
/// its target groups' health checks and deregistration delay, its groups' health check grace period), so the figures
/// <c>phoenix simulate</c> prints describe what users deploy; a test in Phoenix.Cdk.Tests reads the synthesized fleet
/// and fails when the two drift apart. Where the fleet sets nothing (EC2 launch, application boot, image bake) they are
/// typical observed figures. <see cref="ElbDefaults"/> are the ELBv2 API's own defaults, for comparison.
/// </summary>
public sealed record SimulationTimings
{
    /// <summary>RunInstances to EC2 "running" and the Auto Scaling lifecycle state InService.</summary>
    public TimeSpan InstanceLaunch { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>From "running" until the application answers its health check (user data, service start).</summary>
    public TimeSpan ApplicationBoot { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Target group HealthCheckIntervalSeconds (the fleet's 15; ELBv2's default is 30).</summary>
    public TimeSpan HealthCheckInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Target group HealthCheckTimeoutSeconds (the fleet's 5, ELBv2's default too): a failing check is known only after it.</summary>
    public TimeSpan HealthCheckTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Target group HealthyThresholdCount (the fleet's 2; ELBv2's default is 5).</summary>
    public int HealthyThreshold { get; init; } = 2;

    /// <summary>Target group UnhealthyThresholdCount (the fleet's 2, ELBv2's default too).</summary>
    public int UnhealthyThreshold { get; init; } = 2;

    /// <summary>Target group deregistration_delay.timeout_seconds (the fleet's 30; ELBv2's default is 300): how long a target drains.</summary>
    public TimeSpan DeregistrationDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Auto Scaling HealthCheckGracePeriod (the fleet's 300 s with ELB health checks).</summary>
    public TimeSpan HealthCheckGracePeriod { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>A CodeBuild project running Packer: source, provisioning, AMI snapshot.</summary>
    public TimeSpan Bake { get; init; } = TimeSpan.FromMinutes(8);

    /// <summary>The shipped fleet's timings (BlueGreenFleet).</summary>
    public static SimulationTimings Default { get; } = new();

    /// <summary>ELBv2's own target group defaults (interval 30 s, healthy after 5 checks, 300 s deregistration delay).</summary>
    public static SimulationTimings ElbDefaults { get; } = new()
    {
        HealthCheckInterval = TimeSpan.FromSeconds(30),
        HealthyThreshold = 5,
        DeregistrationDelay = TimeSpan.FromSeconds(300),
    };

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
