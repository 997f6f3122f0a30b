namespace Phoenix.Lambda.Events;

/// <summary>
/// What the host reads from a Step Functions task payload (the step's input, built by the state's Parameters): the
/// execution reference steps carry as <c>execution</c> (<c>$$.Execution.Id</c>, also the lock owner), for the log.
/// The step itself reads the whole payload through its own input record.
/// </summary>
public sealed record StepTaskPayload(StepExecution? Execution);

public sealed record StepExecution(string? Id, DateTimeOffset? StartedAt);
