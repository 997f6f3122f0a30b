using System.Text.Json.Nodes;

namespace Phoenix.Asl;

/// <summary>A running execution: its completion, and the host's side of callbacks (task tokens) and StopExecution.</summary>
public sealed class AslExecution
{
    private readonly Interpreter _interpreter;

    internal AslExecution(Interpreter interpreter, Task<ExecutionResult> completion)
    {
        _interpreter = interpreter;
        Completion = completion;
    }

    /// <summary>The execution ARN (<c>$$.Execution.Id</c>).</summary>
    public string ExecutionArn => _interpreter.ExecutionArn;

    public Task<ExecutionResult> Completion { get; }

    /// <summary>The history recorded so far (empty when <see cref="ExecutionOptions.RecordHistory"/> is off).</summary>
    public IReadOnlyList<HistoryEvent> History => _interpreter.History;

    /// <summary>Completes a <c>.waitForTaskToken</c> task with <paramref name="output"/> as its result.</summary>
    /// <exception cref="ArgumentException">No task of this execution waits for <paramref name="taskToken"/>.</exception>
    public void SendTaskSuccess(string taskToken, JsonNode? output) =>
        _interpreter.CompleteCallback(taskToken, p => p.Result.TrySetResult(output?.DeepClone()));

    /// <summary>Fails a <c>.waitForTaskToken</c> task with an ASL error name and cause.</summary>
    public void SendTaskFailure(string taskToken, string error, string? cause) =>
        _interpreter.CompleteCallback(taskToken, p => p.Result.TrySetException(new AslFailure(error, cause)));

    /// <summary>Resets the task's HeartbeatSeconds timer.</summary>
    public void SendTaskHeartbeat(string taskToken) => _interpreter.CompleteCallback(taskToken, p => p.Heartbeat());

    /// <summary>Aborts the execution (status Aborted with this error and cause), like StopExecution.</summary>
    public void Stop(string? error = null, string? cause = null) => _interpreter.Stop(error, cause);
}
