namespace Phoenix.Asl;

/// <summary>How an execution runs: its clock, its Task resources, the names its Context Object reports, live history.</summary>
public sealed class ExecutionOptions
{
    /// <summary>
    /// The execution's time source. A <see cref="VirtualClock"/> makes every wait elapse at once, in order;
    /// <see cref="TimeProvider.System"/> really waits.
    /// </summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public TaskRegistry Tasks { get; init; } = new();

    /// <summary>Execution name (<c>$$.Execution.Name</c>); a fresh GUID when not given.</summary>
    public string? ExecutionName { get; init; }

    /// <summary>State machine name (<c>$$.StateMachine.Name</c>).</summary>
    public string StateMachineName { get; init; } = "StateMachine";

    /// <summary>Region and account the Context Object ARNs are built from.</summary>
    public string Region { get; init; } = "us-east-1";

    public string AccountId { get; init; } = "123456789012";

    /// <summary>Overrides <c>$$.Execution.Id</c>; built from region, account and names when null.</summary>
    public string? ExecutionArn { get; init; }

    /// <summary>Overrides <c>$$.StateMachine.Id</c>.</summary>
    public string? StateMachineArn { get; init; }

    /// <summary><c>$$.Execution.RoleArn</c>.</summary>
    public string? RoleArn { get; init; }

    /// <summary>Overrides <c>$$.Execution.StartTime</c> as text; the clock's time at start when null.</summary>
    public string? StartTimeText { get; init; }

    /// <summary><c>$$.Execution.RedriveCount</c>.</summary>
    public int RedriveCount { get; init; }

    /// <summary>
    /// When cancelled, Wait states and retry back-offs end at once, those in progress and those still to come, so the
    /// execution reaches its next Task without delay. A host that must stop an in-process execution through the
    /// workflow's own error handling (for example Ctrl-C in <c>phoenix deploy --local</c>, which then fails the next
    /// Task so its Catch runs the rollback path) uses it. Step Functions has no such control: there a Wait always lasts.
    /// </summary>
    public CancellationToken Hurry { get; init; }

    /// <summary>Called with each history event as it is recorded (on the execution's scheduler).</summary>
    public Action<HistoryEvent>? OnEvent { get; init; }

    /// <summary>
    /// Whether the execution keeps its history (<see cref="ExecutionResult.History"/>, <see cref="AslExecution.History"/>).
    /// Without it, and without <see cref="OnEvent"/>, events are only counted (their ids, previousEventId and the history
    /// quota stay exact) and no event details are built: an execution then holds only its current data, however long
    /// it runs.
    /// </summary>
    public bool RecordHistory { get; init; } = true;

    /// <summary>
    /// STANDARD executions are held to Step Functions' hard quota of 25,000 history events
    /// (https://docs.aws.amazon.com/step-functions/latest/dg/bp-history-limit.html): when event 25,000 would be anything
    /// but ExecutionSucceeded, the execution fails with States.Runtime instead. EXPRESS workflows keep no execution
    /// history and have no such quota.
    /// </summary>
    public StateMachineType Type { get; init; } = StateMachineType.Standard;
}

/// <summary>A state machine's type, as CreateStateMachine's <c>type</c>.</summary>
public enum StateMachineType
{
    Standard,
    Express,
}
