namespace Phoenix.Cli.Simulation;

/// <summary>
/// Faults the simulated region injects. Step crashes, approvals and concurrent deployments belong to the runner
/// (the deployment runner), which drives the workflow; everything here is something AWS itself does.
/// </summary>
public sealed record FaultPlan
{
    /// <summary>Share of port calls (0..1) that fail with a throttling error before doing anything.</summary>
    public double ThrottleRate { get; init; }

    /// <summary>
    /// After a throttled call this many calls pass unthrottled, as a token bucket refills while the caller backs off:
    /// a retried step then gets through, so the fault tests that retries happen, not that AWS is down.
    /// </summary>
    public int CallsAfterThrottle { get; init; } = 10;

    /// <summary>Seeds the throttling draws so a run is reproducible.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>When set, every bake fails with this reason (e.g. a Packer provisioner error).</summary>
    public string? BakeFailureReason { get; init; }

    /// <summary>Bakes produce images that never pass health checks.</summary>
    public bool BakedImagesUnhealthy { get; init; }

    /// <summary>
    /// When set, the fleet's first alarm goes to ALARM this long after the listener first sends traffic to a target
    /// group that had none (the swap, or the first canary step).
    /// </summary>
    public TimeSpan? AlarmAfterSwap { get; init; }

    public static FaultPlan None { get; } = new();

    internal void Validate()
    {
        if (ThrottleRate is < 0 or > 1 || double.IsNaN(ThrottleRate))
        {
            throw new ArgumentException($"Throttle rate {ThrottleRate} must be between 0 and 1.", nameof(FaultPlan));
        }

        if (CallsAfterThrottle < 0)
        {
            throw new ArgumentException($"CallsAfterThrottle {CallsAfterThrottle} cannot be negative.", nameof(FaultPlan));
        }

        if (AlarmAfterSwap < TimeSpan.Zero)
        {
            throw new ArgumentException($"AlarmAfterSwap {AlarmAfterSwap} cannot be negative.", nameof(FaultPlan));
        }
    }
}
