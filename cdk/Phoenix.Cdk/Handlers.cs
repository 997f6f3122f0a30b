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
        "CheckHealth", "SwapTraffic", "CheckAlarms", "RequestApproval", "Finalize", "ScaleDownPrevious", "Rollback", "RecordRollbackFailure",
        "ReleaseLock", "Notify",
    ];

    public const string DriftHandler = "DriftHandler";
    public const string ImmutableInstance = "ImmutableInstance";
    public const string LockCleanup = "LockCleanup";

    /// <summary>
    /// The Lambda function timeout of a handler. Every Task state of deploy.asl.json waits longer (its TimeoutSeconds),
    /// so a hung invocation ends with Lambda's own timeout error, which the state's Retry/Catch handle, rather than the
    /// state giving up while the function still runs and changes the fleet. Rollback and RecordRollbackFailure make the
    /// most calls and are the last line of defence, so they get more room.
    /// </summary>
    public static int TimeoutSeconds(string handler) => handler switch
    {
        "Rollback" => 120,
        "RecordRollbackFailure" => 60,
        _ => 30,
    };

    public static string ConstructId(string handler) => handler + "Function";

    public static string Placeholder(string handler) => handler + "FunctionArn";
}
