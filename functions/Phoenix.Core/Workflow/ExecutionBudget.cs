using Phoenix.Core.Domain;

namespace Phoenix.Core.Workflow;

/// <summary>
/// How long one execution of statemachines/deploy.asl.json can run for a given strategy, so the deployment lock outlives
/// it (AcquireLock) and the state machine's own TimeoutSeconds covers every strategy Validate accepts. The constants
/// mirror the definition (a test holds them to it); the sum is made of every deadline and Wait the strategy allows, plus
/// an allowance for the Lambda tasks themselves.
/// </summary>
public static class ExecutionBudget
{
    /// <summary>WaitForGreen: the health gate's poll interval.</summary>
    public const int HealthPollSeconds = 15;

    /// <summary>WaitForBake: the bake's poll interval.</summary>
    public const int BakePollSeconds = 60;

    /// <summary>RequestApproval's TimeoutSeconds: an unanswered approval request rolls back after a day.</summary>
    public const int ApprovalTimeoutSeconds = 24 * 3600;

    /// <summary>
    /// How often, in one execution, SwapTraffic may find green not ready for a traffic step (unhealthy again, or smaller
    /// than the live group) and send it back through the health gate before it gives up with HealthCheckFailed. Without a
    /// bound a flapping fleet would loop until the execution times out; counted per execution rather than per step, the
    /// extra health gates cost a fixed amount of time and history whatever the number of traffic steps.
    /// </summary>
    public const int MaxHealthRechecks = 3;

    /// <summary>
    /// Per Lambda task invocation: a step does a few AWS calls (well under a second when nothing goes wrong); the
    /// allowance below covers the ones that do not.
    /// </summary>
    public const int TaskInvocationSeconds = 5;

    /// <summary>Per execution: slow attempts, Lambda and throttling retries with their back-off, cold starts.</summary>
    public const int RetryAllowanceSeconds = 2 * 3600;

    /// <summary>Task states every execution that gets as far as the bake-time watch runs once (Validate … Notify, or the rollback path).</summary>
    private const int FixedTaskInvocations = 14;

    /// <summary>
    /// The state machine's TimeoutSeconds: the longest execution any strategy Validate accepts can take (every field
    /// at its maximum, a bake, an approval). An execution past it is stopped as TIMED_OUT, whose cleanup runs outside.
    /// </summary>
    public static int MaxExecutionSeconds { get; } = checked((int)WorstCase(
        new DeploymentStrategy(
            Enumerable.Range(1, ValidateStep.MaxTrafficSteps).Select(i => i * 100 / ValidateStep.MaxTrafficSteps).ToList(),
            ValidateStep.MaxWaitSeconds,
            ValidateStep.MaxWaitSeconds,
            ValidateStep.MaxWaitSeconds,
            Approval: true,
            ValidateStep.MaxWaitSeconds,
            ValidateStep.MaxWaitSeconds),
        bakes: true).TotalSeconds);

    /// <summary>
    /// The longest an execution of <paramref name="strategy"/> can run, from its start: bake (when
    /// <paramref name="bakes"/>) to its deadline, the health gate to its deadline once plus once per re-check the execution
    /// allows, the approval to its timeout, every canary wait, the bake-time watch, keepPreviousSeconds, and
    /// the task allowance for every invocation those loops can make.
    /// </summary>
    public static TimeSpan WorstCase(DeploymentStrategy strategy, bool bakes)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        var steps = strategy.TrafficSteps.Count;
        long waits = 0;
        long invocations = FixedTaskInvocations;
        if (bakes)
        {
            waits += strategy.BakeTimeoutSeconds + BakePollSeconds;
            invocations += 1 + (strategy.BakeTimeoutSeconds / BakePollSeconds) + 1;
        }

        const long gates = 1 + MaxHealthRechecks;
        waits += gates * (strategy.HealthTimeoutSeconds + HealthPollSeconds);
        invocations += gates * ((strategy.HealthTimeoutSeconds / HealthPollSeconds) + 1);
        invocations += steps + MaxHealthRechecks;

        if (strategy.Approval)
        {
            waits += ApprovalTimeoutSeconds;
            invocations++;
        }

        waits += (long)(steps - 1) * strategy.StepWaitSeconds;
        invocations += steps - 1;

        waits += strategy.BakeTimeSeconds + CheckAlarmsStep.PollSeconds;
        invocations += (strategy.BakeTimeSeconds / CheckAlarmsStep.PollSeconds) + 1;

        waits += strategy.KeepPreviousSeconds;
        return TimeSpan.FromSeconds(waits + (invocations * TaskInvocationSeconds) + RetryAllowanceSeconds);
    }
}
