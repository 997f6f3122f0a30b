using System.CommandLine;
using System.Text.Json.Nodes;
using Phoenix.Aws;
using Phoenix.Aws.SecurityToken.Model;
using Phoenix.Aws.StepFunctions.Model;

namespace Phoenix.Cli.Commands;

/// <summary>
/// <c>phoenix approve TOKEN</c> and <c>phoenix reject TOKEN [--reason TEXT]</c>: answer a deployment waiting in
/// RequestApproval (SendTaskSuccess, or SendTaskFailure with the error ApprovalRejected the state machine catches),
/// recording the caller's AWS identity (sts:GetCallerIdentity ARN) as the approver.
/// </summary>
public static class ApproveCommand
{
    public const string RejectedError = "ApprovalRejected";

    public static Command Create() => Build(approve: true);

    public static Command CreateReject() => Build(approve: false);

    private static Command Build(bool approve)
    {
        var aws = new AwsCommandOptions();
        var token = new Argument<string>("token") { Description = "The task token from the approval request message." };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded in the execution history)." };
        var command = approve
            ? new Command("approve", "Approve a deployment waiting for approval (Step Functions SendTaskSuccess).") { token, reason }
            : new Command("reject", "Reject a deployment waiting for approval; it rolls back (Step Functions SendTaskFailure).") { token, reason };
        aws.AddTo(command);
        var name = command.Name;
        command.SetAction((parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            return AwsCommandOptions.RunAsync(name, error, async () =>
            {
                var taskToken = parse.GetRequiredValue(token);

                // Step Functions task tokens are 1 to 1024 printable characters without whitespace.
                if (taskToken.Length is 0 or > 1024 || taskToken.Any(char.IsWhiteSpace))
                {
                    await error.WriteLineAsync($"phoenix {name}: '{taskToken}' is not a task token (1 to 1024 characters, no spaces).");
                    return ExitCodes.BadInput;
                }

                var factory = new AwsClientFactory(aws.Settings(parse));

                // Who answered is the AWS identity that signs the answer (what CloudTrail records), not the local
                // account name; GetCallerIdentity needs no IAM permission.
                string by;
                using (var sts = factory.SecurityTokenService())
                {
                    var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken);
                    by = identity.Arn ?? throw new InvalidOperationException("sts:GetCallerIdentity returned no Arn.");
                }

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
}
