using System.CommandLine;
using Phoenix.Aws;
using Phoenix.Aws.Adapters;
using Phoenix.Core;
using Phoenix.Core.Workflow;

namespace Phoenix.Cli.Commands;

/// <summary>
/// <c>phoenix rollback --app NAME [--reason TEXT]</c>: traffic back to the previous colour while it is still warm
/// (<see cref="ManualRollback"/>). A deployment that holds the lock only to keep the previous colour warm is stopped
/// first; any other holder, a previous colour that is not at full healthy capacity, or split traffic is refused with the
/// reason, and nothing changes. Exit 0 rolled back, 1 refused or failed, 2 bad input.
/// </summary>
public static class RollbackCommand
{
    public static Command Create()
    {
        var aws = new AwsCommandOptions();
        var app = CliOptions.Application("The application.", required: true);
        var reason = CliOptions.Text("--reason", "TEXT", "Why (recorded in the ledger and the chat message).");
        var poll = CliOptions.WholeNumber("--poll-seconds", 0, 60, 2, "Seconds between status checks while a deployment keeping the previous colour warm stops.");
        var command = new Command("rollback", "Move traffic back to the previous colour while it is still warm (after a deployment, before it is scaled down).")
        {
            app, reason, poll,
        };
        var table = CliOptions.Table(command, "The lock and ledger table");
        aws.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            return AwsCommandOptions.RunAsync("rollback", error, async () =>
            {
                var application = parse.GetRequiredValue(app)!;
                var pollSeconds = parse.GetValue(poll);

                var settings = aws.Settings(parse);
                var tableName = await TableDiscovery.ResolveAsync(parse, table, settings, output, cancellationToken);
                var factory = new AwsClientFactory(settings);
                var by = await AwsCommandOptions.CallerAsync(factory, cancellationToken);

                using var ports = new AwsPorts(AwsClients.From(factory), new PhoenixAwsOptions(tableName), TimeProvider.System);
                using var stepFunctions = factory.StepFunctions();
                var stopper = new ExecutionStopper(stepFunctions, TimeSpan.FromSeconds(pollSeconds), TimeSpan.FromMinutes(5));
                try
                {
                    var report = await new ManualRollback(ports.Workflow, TimeProvider.System, WorkflowSettings.Default)
                        .RunAsync(new ManualRollbackRequest(application, by, parse.GetValue(reason)), stopper, cancellationToken);
                    await output.WriteLineAsync($"Rolled back {application}: traffic is on {report.To} ({report.ImageId ?? "unknown image"}), was on {report.From} ({report.ReplacedImageId ?? "unknown image"}).");
                    foreach (var line in report.Changed)
                    {
                        await output.WriteLineAsync($"  {line}");
                    }

                    return ExitCodes.Success;
                }
                catch (ApplicationNotFound)
                {
                    await error.WriteLineAsync(
                        $"phoenix rollback: unknown application '{application}': no topology parameter {ParameterStoreAdapter.DefaultPrefix}{application}/topology in {factory.Region.SystemName}.");
                    return ExitCodes.BadInput;
                }
                catch (Exception ex) when (ex is DeploymentLocked or RollbackRefused or TimeoutException)
                {
                    await error.WriteLineAsync($"phoenix rollback: refused: {ex.Message}");
                    return ExitCodes.Failed;
                }
            });
        });
        return command;
    }
}
