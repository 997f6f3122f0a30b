using System.Text.Json;
using Phoenix.Aws.StepFunctions;
using Phoenix.Aws.StepFunctions.Model;
using Phoenix.Core.Ports;
using Phoenix.Core.Workflow;

namespace Phoenix.Cli.Commands;

/// <summary>
/// Stops a Step Functions execution and waits until it has stopped (StopExecution, then DescribeExecution every
/// <paramref name="poll"/> until the status is no longer RUNNING, at most <paramref name="timeout"/>). Stopping an
/// execution that already stopped sends nothing.
/// </summary>
public sealed class ExecutionStopper(AmazonStepFunctionsClient client, TimeSpan poll, TimeSpan timeout) : IExecutionStopper, IExecutionStatuses
{
    public async Task<string> StopAsync(string executionArn, string errorName, string cause, CancellationToken cancellationToken)
    {
        var described = await DescribeAsync(executionArn, cancellationToken);
        if (described.Status != "RUNNING")
        {
            return described.Status!;
        }

        await client.StopExecutionAsync(new StopExecutionRequest { ExecutionArn = executionArn, Error = errorName, Cause = cause }, cancellationToken);
        return (await WaitStoppedAsync(executionArn, cancellationToken)).Status!;
    }

    public async Task<DescribeExecutionResponse> DescribeAsync(string executionArn, CancellationToken cancellationToken)
    {
        var described = await client.DescribeExecutionAsync(new DescribeExecutionRequest { ExecutionArn = executionArn }, cancellationToken);
        return described.Status is null
            ? throw new InvalidOperationException($"DescribeExecution returned no status for {executionArn}.")
            : described;
    }

    public async Task<string?> DescribeStatusAsync(string executionArn, CancellationToken cancellationToken)
    {
        try
        {
            return (await DescribeAsync(executionArn, cancellationToken)).Status;
        }
        catch (ExecutionDoesNotExistException)
        {
            // Step Functions forgets closed executions after 90 days; a lock can outlive that only by being forgotten too.
            return null;
        }
    }

    /// <summary>
    /// Step Functions stops an execution asynchronously: StopExecution returns while a running task may still finish, so
    /// nothing may be cleaned up until DescribeExecution stops saying RUNNING.
    /// </summary>
    public async Task<DescribeExecutionResponse> WaitStoppedAsync(string executionArn, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var described = await DescribeAsync(executionArn, cancellationToken);
            if (described.Status != "RUNNING")
            {
                return described;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new TimeoutException($"{executionArn} is still RUNNING {timeout.TotalSeconds:0} s after StopExecution; nothing was cleaned up. Run the command again.");
            }

            await Task.Delay(poll, cancellationToken);
        }
    }

    /// <summary>The application named by a deployment execution's input, or null when the input names none.</summary>
    public static string? ApplicationOf(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(input);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("application", out var application)
                && application.ValueKind == JsonValueKind.String
                && !string.IsNullOrWhiteSpace(application.GetString())
                ? application.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
