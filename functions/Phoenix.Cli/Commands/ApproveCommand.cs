using System.CommandLine;
using System.Text.Json.Nodes;
using Phoenix.Aws;
using Phoenix.Aws.Adapters;
using Phoenix.Aws.StepFunctions.Model;

namespace Phoenix.Cli.Commands;

/// <summary>
/// <c>phoenix approve EXECUTION_ARN|TOKEN</c> and <c>phoenix reject EXECUTION_ARN|TOKEN [--reason TEXT]</c>: answer a
/// deployment waiting in RequestApproval (SendTaskSuccess, or SendTaskFailure with the error ApprovalRejected the state
/// machine catches), recording the caller's AWS identity (sts:GetCallerIdentity ARN) as the approver. Given the execution
/// ARN the approval message names, the task token is the one the ledger entry holds now (DeploymentRecord.ApprovalToken):
/// Step Functions issues a new token when it retries RequestApproval, so the message stays valid where a token in it would not.
/// </summary>
public static class ApproveCommand
{
    public const string RejectedError = "ApprovalRejected";

    public static Command Create() => Build(approve: true);

    public static Command CreateReject() => Build(approve: false);

    private static Command Build(bool approve)
    {
        var aws = new AwsCommandOptions();
        var token = new Argument<string>("execution-or-token") { Description = "The execution ARN from the approval message (or a raw task token).", HelpName = "EXECUTION_ARN|TOKEN" };
        CliOptions.Expect(token, "the execution ARN from the approval message, or a task token");
        var reason = CliOptions.Text("--reason", "TEXT", "Why (recorded in the execution history).");
        var command = approve
            ? new Command("approve", "Approve a deployment waiting for approval (Step Functions SendTaskSuccess).") { token, reason }
            : new Command("reject", "Reject a deployment waiting for approval; it rolls back (Step Functions SendTaskFailure).") { token, reason };
        var table = CliOptions.Table(
            command,
            "With an execution ARN: the ledger table holding its approval token");
        aws.AddTo(command);
        var name = command.Name;
        command.SetAction((parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            return AwsCommandOptions.RunAsync(name, error, async () =>
            {
                var taskToken = parse.GetRequiredValue(token);
                var executionArn = AwsCommandOptions.TryParseExecutionArn(taskToken, out var region) ? taskToken : null;

                // Step Functions task tokens are 1 to 1024 printable characters without whitespace.
                if (executionArn is null && (taskToken.Length is 0 or > 1024 || taskToken.Any(char.IsWhiteSpace) || taskToken.StartsWith("arn:", StringComparison.Ordinal)))
                {
                    await error.WriteLineAsync($"phoenix {name}: '{taskToken}' is neither an execution ARN nor a task token (1 to 1024 characters, no spaces).");
                    return ExitCodes.BadInput;
                }

                var settings = aws.Settings(parse, executionArn is null ? null : region);
                var factory = new AwsClientFactory(settings);
                if (executionArn is not null)
                {
                    var tableName = await TableDiscovery.ResolveAsync(parse, table, settings, output, cancellationToken);
                    var (found, problem) = await PendingTokenAsync(factory, executionArn, tableName, cancellationToken);
                    if (found is null)
                    {
                        await error.WriteLineAsync($"phoenix {name}: {problem}");
                        return ExitCodes.Failed;
                    }

                    taskToken = found;
                }

                var by = await AwsCommandOptions.CallerAsync(factory, cancellationToken);

                var why = parse.GetValue(reason);
                using var client = factory.StepFunctions();
                if (approve)
                {
                    var result = new JsonObject { ["approved"] = true, ["by"] = by };
                    if (why is not null)
                    {
                        result["reason"] = why;
                    }

                    await client.SendTaskSuccessAsync(new SendTaskSuccessRequest { TaskToken = taskToken, Output = result.ToJsonString() }, cancellationToken);
                    await output.WriteLineAsync("Approved: the deployment continues.");
                }
                else
                {
                    await client.SendTaskFailureAsync(
                        new SendTaskFailureRequest { TaskToken = taskToken, Error = RejectedError, Cause = why ?? $"Rejected by {by} with the phoenix CLI." },
                        cancellationToken);
                    await output.WriteLineAsync("Rejected: the deployment rolls back.");
                }

                return ExitCodes.Success;
            });
        });
        return command;
    }

    /// <summary>The task token the execution's RequestApproval waits on now, or null with the reason there is none.</summary>
    private static async Task<(string? Token, string Problem)> PendingTokenAsync(
        AwsClientFactory factory, string executionArn, string tableName, CancellationToken cancellationToken)
    {
        using var stepFunctions = factory.StepFunctions();
        var described = await stepFunctions.DescribeExecutionAsync(new DescribeExecutionRequest { ExecutionArn = executionArn }, cancellationToken);
        if (described.Status != "RUNNING")
        {
            return (null, $"{executionArn} is {described.Status}: nothing waits for an approval.");
        }

        var application = ExecutionStopper.ApplicationOf(described.Input);
        if (application is null)
        {
            return (null, $"{executionArn} is not a Phoenix deployment: its input names no application.");
        }

        using var dynamoDb = factory.DynamoDb();
        var deploymentId = executionArn[(executionArn.LastIndexOf(':') + 1)..];
        var record = await new DeploymentLedgerAdapter(dynamoDb, tableName).GetAsync(application, deploymentId, cancellationToken);
        return record?.ApprovalToken is { Length: > 0 } pending
            ? (pending, string.Empty)
            : (null, $"no approval is pending for {executionArn}: its ledger entry ({application}/{deploymentId}) holds no approval token.");
    }
}
