using System.CommandLine;
using Phoenix.Aws;
using Phoenix.Aws.SecurityToken.Model;
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
        var table = CliOptions.Text("--table", "TABLE", $"The lock and ledger table (default: {HistoryCommand.TableVariable}).");
        var dryRun = new Option<bool>("--dry-run") { Description = "Check and say what would be released, changing nothing." };
        var command = new Command("unlock", "Release an application's deployment lock whose execution no longer runs (after a failed rollback was repaired by hand).")
        {
            app, reason, table, dryRun,
        };
        aws.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            return AwsCommandOptions.RunAsync("unlock", error, async () =>
            {
                var application = parse.GetRequiredValue(app)!;
                var tableName = parse.GetValue(table) ?? Environment.GetEnvironmentVariable(HistoryCommand.TableVariable);
                if (string.IsNullOrWhiteSpace(tableName))
                {
                    await error.WriteLineAsync($"phoenix unlock: no lock and ledger table: pass --table or set {HistoryCommand.TableVariable}.");
                    return ExitCodes.BadInput;
                }

                var factory = new AwsClientFactory(aws.Settings(parse));
                string by;
                using (var sts = factory.SecurityTokenService())
                {
                    by = (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken)).Arn
                        ?? throw new InvalidOperationException("sts:GetCallerIdentity returned no Arn.");
                }

                using var ports = new AwsPorts(AwsClients.From(factory), new PhoenixAwsOptions(tableName!), TimeProvider.System);
                using var stepFunctions = factory.StepFunctions();
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
