using System.CommandLine;
using Phoenix.Aws;
using Phoenix.Core.Workflow;

namespace Phoenix.Cli.Commands;

/// <summary>
/// <c>phoenix abort EXECUTION_ARN [--reason TEXT]</c>: stops a deployment (StopExecution), waits until Step Functions
/// reports it stopped, then runs the same cleanup as the status-change event in this process (<see cref="DeploymentCleanup"/>),
/// so the operator sees what was put back and what was left as it was. On an execution that already stopped it only runs
/// the cleanup, which makes it the way to finish one that needed manual action. Exit 0 done, 1 failed or manual action
/// still needed, 2 bad input (naming the value; nothing sent).
/// </summary>
public static class AbortCommand
{
    /// <summary>The StopExecution error, so the execution's history and the ledger say who stopped it and how.</summary>
    public const string StopError = "PhoenixAbort";

    public static Command Create()
    {
        var aws = new AwsCommandOptions();
        var execution = CliOptions.ExecutionArn("The deployment's execution ARN.");
        var reason = CliOptions.Text("--reason", "TEXT", "Why (the execution's stop cause, and the ledger's).");
        var poll = CliOptions.WholeNumber("--poll-seconds", 0, 60, 2, "Seconds between status checks while the execution stops.");
        var timeout = CliOptions.WholeNumber("--timeout-seconds", 1, 3600, 300, "How long to wait for the execution to stop.");
        var command = new Command("abort", "Stop a deployment and clean up after it: traffic back, idle colour to 0, scaling resumed, ledger ABORTED, lock released.")
        {
            execution, reason, poll, timeout,
        };
        var table = CliOptions.Table(command, "The lock and ledger table");
        aws.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            return AwsCommandOptions.RunAsync("abort", error, async () =>
            {
                var arn = parse.GetRequiredValue(execution);
                var (pollSeconds, timeoutSeconds) = (parse.GetValue(poll), parse.GetValue(timeout));
                var region = AwsCommandOptions.TryParseExecutionArn(arn, out var parsed) ? parsed : null;
                var settings = aws.Settings(parse, region);

                // Found before the execution is stopped: a stop whose cleanup then could not run would leave the lock held.
                var tableName = await TableDiscovery.ResolveAsync(parse, table, settings, output, cancellationToken);
                var factory = new AwsClientFactory(settings);
                using var stepFunctions = factory.StepFunctions();
                var stopper = new ExecutionStopper(stepFunctions, TimeSpan.FromSeconds(pollSeconds), TimeSpan.FromSeconds(timeoutSeconds));
                var described = await stopper.DescribeAsync(arn, cancellationToken);
                var application = ExecutionStopper.ApplicationOf(described.Input);
                if (application is null)
                {
                    await error.WriteLineAsync($"phoenix abort: {arn} is not a Phoenix deployment: its input names no application.");
                    return ExitCodes.BadInput;
                }

                var name = arn[(arn.LastIndexOf(':') + 1)..];
                (string? Error, string? Cause) stop = (described.Error, described.Cause);
                if (described.Status == "RUNNING")
                {
                    var cause = parse.GetValue(reason) ?? $"Aborted by {await AwsCommandOptions.CallerAsync(factory, cancellationToken)} with the phoenix CLI.";
                    await output.WriteLineAsync($"Stopping {name} ({application})…");
                    try
                    {
                        await stopper.StopAsync(arn, StopError, cause, cancellationToken);
                        described = await stopper.DescribeAsync(arn, cancellationToken);

                        // This command stopped it, so it knows why even where DescribeExecution leaves them out.
                        stop = (described.Error ?? StopError, described.Cause ?? cause);
                    }
                    catch (TimeoutException ex)
                    {
                        await error.WriteLineAsync($"phoenix abort: {ex.Message}");
                        return ExitCodes.Failed;
                    }

                    await output.WriteLineAsync($"Execution {name}: {described.Status}.");
                }
                else
                {
                    await output.WriteLineAsync($"Execution {name} already {described.Status}: cleaning up only.");
                }

                using var ports = new AwsPorts(AwsClients.From(factory), new PhoenixAwsOptions(tableName), TimeProvider.System);
                var report = await new DeploymentCleanup(ports.Workflow, TimeProvider.System).CleanupAsync(
                    new ExecutionEnding(arn, application, described.Status!, stop.Error, stop.Cause), cancellationToken);
                await output.WriteAsync(Render(report));
                if (report.ManualActionNeeded is { } manual)
                {
                    await error.WriteLineAsync($"phoenix abort: manual action needed: {manual}");
                    return ExitCodes.Failed;
                }

                return ExitCodes.Success;
            });
        });
        return command;
    }

    public static string Render(CleanupReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new System.Text.StringBuilder();
        text.Append("Changed:\n");
        foreach (var line in report.Changed.DefaultIfEmpty("nothing"))
        {
            text.Append("  ").Append(line).Append('\n');
        }

        text.Append("Left as it was:\n");
        foreach (var line in report.LeftAsItWas.DefaultIfEmpty("nothing"))
        {
            text.Append("  ").Append(line).Append('\n');
        }

        text.Append("Ledger: ").Append(report.LedgerResult ?? "no entry").Append("; lock ").Append(report.LockReleased ? "released" : "not released by this run").Append('\n');
        return text.ToString();
    }
}
