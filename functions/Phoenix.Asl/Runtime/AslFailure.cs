namespace Phoenix.Asl;

/// <summary>
/// A state failed with an ASL error. <see cref="Uncatchable"/> marks States.Runtime (path and runtime failures),
/// which no Retry or Catch handles, as in Step Functions.
/// </summary>
internal sealed class AslFailure : Exception
{
    public AslFailure(string? error, string? cause, bool uncatchable = false)
        : base(error ?? "(no error name)")
    {
        Error = error;
        Cause = cause;
        Uncatchable = uncatchable;
    }

    public string? Error { get; }

    public string? Cause { get; }

    public bool Uncatchable { get; }

    /// <summary>Its EvaluationFailed history event is recorded (a JSONata failure is recorded once, where it happened).</summary>
    public bool EvaluationRecorded { get; set; }

    public static AslFailure Runtime(string stateName, long enteredEventId, string detail) =>
        new(
            ErrorNames.Runtime,
            $"An error occurred while executing the state '{stateName}' (entered at the event id #{enteredEventId}). {detail}",
            uncatchable: true);
}

internal static class ErrorNames
{
    public const string All = "States.ALL";
    public const string Runtime = "States.Runtime";
    public const string QueryEvaluationError = "States.QueryEvaluationError";
    public const string TaskFailed = "States.TaskFailed";
    public const string Timeout = "States.Timeout";
    public const string HeartbeatTimeout = "States.HeartbeatTimeout";
    public const string NoChoiceMatched = "States.NoChoiceMatched";
    public const string DataLimitExceeded = "States.DataLimitExceeded";
    public const string ExceedToleratedFailureThreshold = "States.ExceedToleratedFailureThreshold";

    /// <summary>Step Functions' matching: States.ALL matches all but Runtime; TaskFailed all but Timeout and Runtime.</summary>
    public static bool Matches(IReadOnlyList<string> errorEquals, string? error)
    {
        foreach (var name in errorEquals)
        {
            if (name == error)
            {
                return true;
            }

            if (name == All && error is not Runtime)
            {
                return true;
            }

            if (name == TaskFailed && error is not (Timeout or HeartbeatTimeout or Runtime))
            {
                return true;
            }
        }

        return false;
    }
}
