namespace Phoenix.Cdk;

/// <summary>
/// The Lambda handler keys (contracts.md). Each key is the <c>_HANDLER</c> value, the construct id
/// <c>&lt;Key&gt;Function</c> and, for workflow steps, the ASL placeholder <c>${&lt;Key&gt;FunctionArn}</c>.
/// </summary>
public static class Handlers
{
    public static IReadOnlyList<string> WorkflowSteps { get; } =
    [
        "Validate", "AcquireLock", "ResolveFleet", "StartBake", "CheckBake", "UpdateLaunchTemplate", "ScaleUpGreen",
        "CheckHealth", "SwapTraffic", "CheckAlarms", "RequestApproval", "Finalize", "ScaleDownPrevious", "Rollback",
        "ReleaseLock", "Notify",
    ];

    public const string DriftHandler = "DriftHandler";
    public const string ImmutableInstance = "ImmutableInstance";
    public const string LockCleanup = "LockCleanup";

    public static string ConstructId(string handler) => handler + "Function";

    public static string Placeholder(string handler) => handler + "FunctionArn";
}
