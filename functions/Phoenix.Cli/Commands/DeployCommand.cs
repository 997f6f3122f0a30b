using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Phoenix.Aws;
using Phoenix.Aws.StepFunctions.Model;

namespace Phoenix.Cli.Commands;

/// <summary>
/// <c>phoenix deploy --app NAME [--image ami-…] [--wait]</c>: starts the deployment state machine (ARN from
/// <c>--state-machine-arn</c> or PHOENIX_STATE_MACHINE_ARN). With <c>--wait</c> it follows the execution to the end,
/// prints its timeline and exits 0 only when it succeeded.
/// </summary>
public static partial class DeployCommand
{
    public const string StateMachineVariable = "PHOENIX_STATE_MACHINE_ARN";

    public static Command Create()
    {
        var aws = new AwsCommandOptions();
        var app = new Option<string>("--app") { Description = "The application to deploy (its topology is /phoenix/apps/NAME/topology).", Required = true };
        var image = new Option<string?>("--image") { Description = "Deploy this AMI (ami-…) and skip the bake." };
        var wait = new Option<bool>("--wait") { Description = "Wait for the execution to finish and print its timeline." };
        var stateMachine = new Option<string?>("--state-machine-arn") { Description = $"The Phoenix deployment state machine (default: {StateMachineVariable})." };
        var poll = new Option<int>("--poll-seconds") { Description = "Seconds between status checks with --wait.", DefaultValueFactory = _ => 5 };
        var command = new Command("deploy", "Start a blue/green deployment on AWS (Step Functions StartExecution).") { app, image, wait, stateMachine, poll };
        aws.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            return AwsCommandOptions.RunAsync("deploy", error, async () =>
            {
                var application = parse.GetRequiredValue(app);
                var imageId = parse.GetValue(image);
                var arn = parse.GetValue(stateMachine) ?? Environment.GetEnvironmentVariable(StateMachineVariable);
                var region = string.Empty;
                var problem = application.Length == 0 || !ApplicationPattern().IsMatch(application)
                        ? $"--app '{application}' is not an application name (letters, digits, '-' and '_', at most 63)."
                    : imageId is not null && !ImagePattern().IsMatch(imageId)
                        ? $"--image '{imageId}' is not an AMI id (ami- followed by 8 or 17 lowercase hex digits)."
                    : arn is null
                        ? $"No state machine: pass --state-machine-arn or set {StateMachineVariable}."
                    : !AwsCommandOptions.TryParseStateMachineArn(arn, out region)
                        ? $"'{arn}' is not a Step Functions state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME)."
                    : parse.GetValue(poll) < 1
                        ? $"--poll-seconds {parse.GetValue(poll)} must be at least 1."
                    : null;
                if (problem is not null)
                {
                    await error.WriteLineAsync($"phoenix deploy: {problem}");
                    return ExitCodes.BadInput;
                }

                using var client = new AwsClientFactory(aws.Settings(parse, region)).StepFunctions();
                var input = new JsonObject
                {
                    ["application"] = application,
                    ["source"] = new JsonObject { ["trigger"] = "cli" },
                };
                if (imageId is not null)
                {
                    input["imageId"] = imageId;
                }

                var name = $"{application}-{DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
                var started = await client.StartExecutionAsync(
                    new StartExecutionRequest { StateMachineArn = arn, Name = name, Input = input.ToJsonString() }, cancellationToken);
                await output.WriteLineAsync($"Started {started.ExecutionArn}");
                if (!parse.GetValue(wait))
                {
                    return ExitCodes.Success;
                }

                var delay = TimeSpan.FromSeconds(parse.GetValue(poll));
                string? status;
                while ((status = (await client.DescribeExecutionAsync(new DescribeExecutionRequest { ExecutionArn = started.ExecutionArn }, cancellationToken)).Status) == "RUNNING")
                {
                    await Task.Delay(delay, cancellationToken);
                }

                var (execution, events) = await ExecutionTimeline.ReadAsync(client, started.ExecutionArn!, cancellationToken);
                await output.WriteAsync(ExecutionTimeline.Render(execution, events));
                return status == "SUCCEEDED" ? ExitCodes.Success : ExitCodes.Failed;
            });
        });
        return command;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,63}$")]
    private static partial Regex ApplicationPattern();

    [GeneratedRegex("^ami-([0-9a-f]{8}|[0-9a-f]{17})$")]
    private static partial Regex ImagePattern();
}
