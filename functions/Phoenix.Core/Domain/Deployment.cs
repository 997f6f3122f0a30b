namespace Phoenix.Core.Domain;

/// <summary>Auto Scaling group sizes.</summary>
public sealed record Capacity(int Min, int Max, int Desired);

/// <summary>
/// How traffic moves to the new colour. <see cref="TrafficSteps"/> are the percentages sent to the new colour, strictly
/// increasing and ending at 100; each step is followed by a wait of <see cref="StepWaitSeconds"/> and an alarm check.
/// <see cref="IgnoreAlarms"/> names alarms of the application that may already be in ALARM when the deployment starts
/// (e.g. one firing for a reason unrelated to the release): Validate does not refuse the deployment for them, and the
/// alarm checks skip them only for as long as they stay in that same ALARM (a new transition to ALARM still counts).
/// </summary>
public sealed record DeploymentStrategy(
    IReadOnlyList<int> TrafficSteps,
    int StepWaitSeconds,
    int BakeTimeSeconds,
    int KeepPreviousSeconds,
    bool Approval,
    int HealthTimeoutSeconds,
    int BakeTimeoutSeconds,
    IReadOnlyList<string>? IgnoreAlarms = null)
{
    public const int DefaultStepWaitSeconds = 60;
    public const int DefaultBakeTimeSeconds = 300;
    public const int DefaultKeepPreviousSeconds = 300;
    public const int DefaultHealthTimeoutSeconds = 900;
    public const int DefaultBakeTimeoutSeconds = 3600;

    public static DeploymentStrategy Default { get; } = new(
        [100],
        DefaultStepWaitSeconds,
        DefaultBakeTimeSeconds,
        DefaultKeepPreviousSeconds,
        Approval: false,
        DefaultHealthTimeoutSeconds,
        DefaultBakeTimeoutSeconds);
}

/// <summary>Where the change came from: the commit, its repository and what started the deployment.</summary>
public sealed record DeploymentSource(string? Commit, string? Repository, string? Trigger);

/// <summary>
/// The workflow input after Validate: every optional field resolved to its default. <see cref="ImageId"/> null means
/// "bake one from the source"; <see cref="Capacity"/> null means "the live colour's capacity". <see cref="AllowShrink"/>
/// (<c>capacity.allowShrink</c>) lets a <see cref="Capacity"/> whose desired is below the live colour's current desired
/// through Validate: shrinking the fleet on deployment is deliberate, never a stale number in a pipeline.
/// </summary>
public sealed record DeploymentRequest(
    string Application,
    string? ImageId,
    DeploymentSource Source,
    DeploymentStrategy Strategy,
    Capacity? Capacity,
    bool DryRun,
    bool AllowShrink = false);

/// <summary>
/// The values of <see cref="Ports.DeploymentRecord.Result"/>. Every execution that changed the fleet ends in one of the four
/// truthful end states: DEPLOYED (new image live at full capacity, idle colour at 0), ROLLED_BACK (previous image live at
/// full capacity, idle colour at 0), ROLLBACK_FAILED (lock kept, "manual action needed" alert naming what is left) or
/// ABORTED (stopped from outside; cleanup done). FAILED is a failure before any change to the fleet.
/// </summary>
public static class DeploymentResults
{
    public const string InProgress = "IN_PROGRESS";
    public const string Deployed = "DEPLOYED";
    public const string RolledBack = "ROLLED_BACK";
    public const string RollbackFailed = "ROLLBACK_FAILED";
    public const string Aborted = "ABORTED";
    public const string Failed = "FAILED";
    public const string DryRun = "DRY_RUN";

    /// <summary>Not a deployment: an operator released a lock by hand (<c>phoenix unlock</c>); the entry says who, why and whose lock.</summary>
    public const string Unlocked = "UNLOCKED";

    /// <summary>What earlier versions wrote for DEPLOYED; still read (history, status) but never written.</summary>
    public const string LegacySucceeded = "SUCCEEDED";
}
