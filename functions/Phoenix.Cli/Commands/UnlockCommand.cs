using System.CommandLine;
using Phoenix.Aws;
using Phoenix.Core;
using Phoenix.Core.Workflow;

namespace Phoenix.Cli.Commands;

/// <summary>
/// <c>phoenix unlock --app NAME [--reason TEXT] [--dry-run]</c>: releases a deployment lock whose execution no longer runs
/// (<see cref="ManualUnlock"/>), e.g. the one a failed rollback keeps until the fleet is repaired. Exit 0 released (or
/// nothing to release, or a dry run), 1 refused (the holder may still run, or its cleanup has not run) or AWS failed,
/// 2 bad input.
/// </summary>
public static class UnlockCommand
{
    public static Command Create()
    {
        var aws = new AwsCommandOptions();
        var app = CliOptions.Application("The application whose lock to release.", required: true);
        var reason = CliOptions.Text("--reason", "TEXT", "Why (recorded in the ledger's UNLOCKED entry).");
        var dryRun = new Option<bool>("--dry-run") { Description = "Check and say what would be released, changing nothing." };
        var command = new Command("unlock", "Release an application's deployment lock whose execution no longer runs (after a failed rollback was repaired by hand).")
        {
            app, reason, dryRun,
        };
        var table = CliOptions.Table(command, "The lock and ledger table");
        aws.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            return AwsCommandOptions.RunAsync("unlock", error, async () =>
            {
                var application = parse.GetRequiredValue(app)!;
                var settings = aws.Settings(parse);
                var tableName = await TableDiscovery.ResolveAsync(parse, table, settings, output, cancellationToken);
                var factory = new AwsClientFactory(settings);
                var by = await AwsCommandOptions.CallerAsync(factory, cancellationToken);

                using var ports = new AwsPorts(AwsClients.From(factory), new PhoenixAwsOptions(tableName), TimeProvider.System);
                using var stepFunctions = factory.StepFunctions();
                // Unlock only asks Step Functions for the holder's status: it never stops an execution or waits for one.
                var executions = new ExecutionStopper(stepFunctions, TimeSpan.Zero, TimeSpan.Zero);
                try
                {
                    var report = await new ManualUnlock(ports.Workflow.Locks, ports.Workflow.Ledger, executions, TimeProvider.System)
                        .RunAsync(new UnlockRequest(application, by, parse.GetValue(reason), parse.GetValue(dryRun)), cancellationToken);
                    foreach (var line in report.Lines)
                    {
                        await output.WriteLineAsync(line);
                    }

                    return ExitCodes.Success;
                }
                catch (UnlockRefused ex)
                {
                    await error.WriteLineAsync($"phoenix unlock: refused: {ex.Message}");
                    return ExitCodes.Failed;
                }
            });
        });
        return command;
    }
}
