namespace Phoenix.Core.Ports;

/// <summary>Step Functions DescribeExecution, reduced to what a lock decision needs.</summary>
public interface IExecutionStatuses
{
    /// <summary>
    /// The execution's status (RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE), or null when Step Functions
    /// no longer knows it (ExecutionDoesNotExist: closed executions are kept for 90 days).
    /// </summary>
    Task<string?> DescribeStatusAsync(string executionArn, CancellationToken cancellationToken);
}
