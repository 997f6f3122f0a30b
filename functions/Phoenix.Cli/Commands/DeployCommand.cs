using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Phoenix.Aws;
using Phoenix.Aws.StepFunctions.Model;

namespace Phoenix.Cli.Commands;

/// <summary>
/// <c>phoenix deploy [--app NAME] [--image ami-…] [--input JSON] [--wait]</c>: starts the deployment state machine (ARN
/// from <c>--state-machine-arn</c> or PHOENIX_STATE_MACHINE_ARN). With <c>--wait</c> it follows the execution to the
/// end, prints its timeline and exits 0 only when it succeeded. With <c>--local</c> the workflow runs in this process
/// instead (<see cref="LocalDeployCommand"/>).
/// </summary>
public static partial class DeployCommand
{
    public const string StateMachineVariable = "PHOENIX_STATE_MACHINE_ARN";

    public static Command Create()
    {
        var aws = new AwsCommandOptions();
        var app = CliOptions.Application("The application to deploy (its topology is /phoenix/apps/NAME/topology); overrides the input's application.", required: false);
        var image = CliOptions.Image("Deploy this AMI (ami-…) and skip the bake; overrides the input's imageId.");
        var input = CliOptions.Json("--input", "The execution input: a JSON file or JSON text (see README, \"The deployment workflow\").");
        var wait = new Option<bool>("--wait") { Description = "Wait for the execution to finish and print its timeline." };
        var stateMachine = CliOptions.Text("--state-machine-arn", "ARN", $"The Phoenix deployment state machine (default: {StateMachineVariable}).");
        var poll = CliOptions.WholeNumber("--poll-seconds", 1, 3600, 5, "Seconds between status checks with --wait.");
        var local = new Option<bool>("--local") { Description = "Run the workflow in this process against AWS (or --endpoint-url) instead of on Step Functions." };
        var json = new Option<bool>("--json") { Description = "With --local: print the execution history and the fleet timeline as JSON." };
        var command = new Command("deploy", "Start a blue/green deployment: on Step Functions (StartExecution), or in this process with --local.")
        {
            app, image, input, wait, stateMachine, poll, local, json,
        };
        var table = CliOptions.Table(command, "With --local: the lock and ledger table", needed: parse => parse.GetValue(local));
        aws.AddTo(command);

        // Each option applies to one way of running; given to the other it would be ignored, so it is refused (checked
        // before the table, whose absence matters only with --local).
        CliOptions.Check(command, parse => parse.GetValue(local)
            ? new Option[] { wait, stateMachine, poll }.FirstOrDefault(o => CliOptions.Given(parse, o)) is { } stepFunctionsOnly
                ? $"{stepFunctionsOnly.Name} applies to Step Functions executions, not to --local (which always waits)."
                : null
            : new Option[] { table, json }.FirstOrDefault(o => CliOptions.Given(parse, o)) is { } localOnly
                ? $"{localOnly.Name} applies only with --local."
                : null);
        command.SetAction((parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var isLocal = parse.GetValue(local);
            var name = isLocal ? "deploy --local" : "deploy";
            return AwsCommandOptions.RunAsync(name, error, async () =>
            {
                if (!TryBuildInput(parse.GetValue(input), parse.GetValue(app), parse.GetValue(image), out var request, out var problem))
                {
                    await error.WriteLineAsync($"phoenix {name}: {problem}");
                    return ExitCodes.BadInput;
                }

                if (isLocal)
                {
                    return await LocalDeployCommand.RunAsync(
                        request!, CliOptions.TableName(parse, table)!, aws.Settings(parse), parse.GetValue(json), new LocalDeployCommand.Terminal(output, error, Console.In), cancellationToken);
                }

                return await StartAsync(parse, aws, request!, parse.GetValue(stateMachine), parse.GetValue(wait), parse.GetValue(poll), output, error, cancellationToken);
            });
        });
        return command;
    }

    /// <summary>
    /// The execution input: <paramref name="input"/> (from a file or JSON text; an object) with <paramref name="app"/>
    /// and <paramref name="image"/> written over its fields, and <c>source.trigger</c> "cli" when none is given. Only the
    /// shapes the CLI itself must know are checked here; the workflow's Validate step judges the rest.
    /// </summary>
    internal static bool TryBuildInput(JsonNode? input, string? app, string? image, out JsonObject? request, out string? problem)
    {
        request = null;
        if ((input ?? new JsonObject()) is not JsonObject document)
        {
            problem = $"--input must be a JSON object (the execution input), got {input!.GetValueKind().ToString().ToLowerInvariant()}.";
            return false;
        }

        if (app is not null)
        {
            document["application"] = app;
        }

        if (image is not null)
        {
            document["imageId"] = image;
        }

        // Stricter than Validate's rule: the name and the start time make the execution name, which Step Functions limits to
        // 80 characters, and CloudWatch Logs to letters, digits, '-' and '_'.
        var application = document["application"];
        problem = application is null
                ? "no application: pass --app NAME or put \"application\" in --input."
            : application.GetValueKind() != System.Text.Json.JsonValueKind.String || !ApplicationPattern().IsMatch(application.GetValue<string>())
                ? $"{(app is not null ? "--app" : "application")} '{application.ToJsonString().Trim('"')}' is not an application name (letters, digits, '-' and '_', at most 63)."
            : null;
        if (problem is not null)
        {
            return false;
        }

        if (document["source"] is null)
        {
            document["source"] = new JsonObject { ["trigger"] = "cli" };
        }

        request = document;
        return true;
    }

    /// <summary>The execution name: the application and the UTC start time (the ledger's deployment id).</summary>
    internal static string ExecutionName(string application, DateTimeOffset now) =>
        $"{application}-{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";

    private static async Task<int> StartAsync(
        ParseResult parse, AwsCommandOptions aws, JsonObject input, string? stateMachineArn, bool wait, int pollSeconds, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var arn = stateMachineArn ?? Environment.GetEnvironmentVariable(StateMachineVariable);
        var region = string.Empty;
        var problem = arn is null
                ? $"No state machine: pass --state-machine-arn or set {StateMachineVariable}."
            : !AwsCommandOptions.TryParseStateMachineArn(arn, out region)
                ? $"'{arn}' is not a Step Functions state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME)."
            : null;
        if (problem is not null)
        {
            await error.WriteLineAsync($"phoenix deploy: {problem}");
            return ExitCodes.BadInput;
        }

        using var client = new AwsClientFactory(aws.Settings(parse, region)).StepFunctions();
        var name = ExecutionName(input["application"]!.GetValue<string>(), DateTimeOffset.UtcNow);
        var started = await client.StartExecutionAsync(
            new StartExecutionRequest { StateMachineArn = arn, Name = name, Input = input.ToJsonString() }, cancellationToken);
        await output.WriteLineAsync($"Started {started.ExecutionArn}");
        if (!wait)
        {
            return ExitCodes.Success;
        }

        var delay = TimeSpan.FromSeconds(pollSeconds);
        string? status;
        while ((status = (await client.DescribeExecutionAsync(new DescribeExecutionRequest { ExecutionArn = started.ExecutionArn }, cancellationToken)).Status) == "RUNNING")
        {
            await Task.Delay(delay, cancellationToken);
        }

        var (execution, events) = await ExecutionTimeline.ReadAsync(client, started.ExecutionArn!, cancellationToken);
        await output.WriteAsync(ExecutionTimeline.Render(execution, events));
        return status == "SUCCEEDED" ? ExitCodes.Success : ExitCodes.Failed;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,63}$")]
    private static partial Regex ApplicationPattern();
}
