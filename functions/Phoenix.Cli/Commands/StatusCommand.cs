using System.CommandLine;
using Phoenix.Aws;

namespace Phoenix.Cli.Commands;

/// <summary><c>phoenix status EXECUTION_ARN</c>: the execution's status and a timeline of its history.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var aws = new AwsCommandOptions();
        var execution = CliOptions.ExecutionArn("The execution ARN.");
        var command = new Command("status", "Show a deployment execution's status and timeline (Step Functions GetExecutionHistory).") { execution };
        aws.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            return AwsCommandOptions.RunAsync("status", error, async () =>
            {
                var arn = parse.GetRequiredValue(execution);
                var region = AwsCommandOptions.TryParseExecutionArn(arn, out var parsed) ? parsed : null;

                using var client = new AwsClientFactory(aws.Settings(parse, region)).StepFunctions();
                var (described, events) = await ExecutionTimeline.ReadAsync(client, arn, cancellationToken);
                await output.WriteAsync(ExecutionTimeline.Render(described, events));
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
