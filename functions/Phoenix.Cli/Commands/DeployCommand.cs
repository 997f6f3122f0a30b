using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Phoenix.Aws;
using Phoenix.Aws.Adapters;
using Phoenix.Aws.StepFunctions.Model;
using Phoenix.Core;
using Phoenix.Core.Discovery;
using Phoenix.Core.Ports;

namespace Phoenix.Cli.Commands;

/// <summary>
/// <c>phoenix deploy [--app NAME] [--image ami-…] [--input JSON] [--wait]</c>: starts the deployment state machine (ARN
/// from <c>--state-machine-arn</c> or PHOENIX_STATE_MACHINE_ARN, else the one the PhoenixPipeline stack published in the
/// region, with its table: <see cref="EnvironmentDiscovery"/>). With <c>--wait</c> it follows the execution to the
/// end, printing each history event as it appears, and exits 0 only when it succeeded; <c>--summary-file</c> and
/// <c>--result-file</c> then report how it ended (<see cref="DeploymentReport"/>). With <c>--local</c> the workflow runs
/// in this process instead (<see cref="LocalDeployCommand"/>).
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
        var stateMachine = CliOptions.StateMachineArn($"The Phoenix deployment state machine (default: {StateMachineVariable}, else the SSM parameter {EnvironmentDiscovery.StateMachineParameter} the PhoenixPipeline stack publishes, with the table from {EnvironmentDiscovery.TableParameter}).");
        var poll = CliOptions.WholeNumber("--poll-seconds", 1, 3600, 5, "Seconds between status checks with --wait.");
        var local = new Option<bool>("--local") { Description = "Run the workflow in this process against AWS (or --endpoint-url) instead of on Step Functions." };
        var json = new Option<bool>("--json") { Description = "With --local: print the execution history and the fleet timeline as JSON." };
        // Checked while parsing: a summary that cannot be written must not be found out after a 20-minute deployment.
        var summary = CliOptions.NewFile("--summary-file", "Markdown", "When the deployment ends, append a Markdown summary (result, timeline, ledger entry) to this file, e.g. $GITHUB_STEP_SUMMARY.");
        var result = CliOptions.NewFile("--result-file", "JSON", "When the deployment ends, write its result as JSON to this file (status, ledger result, image ids, error, exit code).");
        var command = new Command("deploy", "Start a blue/green deployment: on Step Functions (StartExecution), or in this process with --local.")
        {
            app, image, input, wait, stateMachine, poll, local, json, summary, result,
        };
        var table = CliOptions.Table(
            command, "The lock and ledger table: needed with --local; with --wait the ledger entry is read into the summary and result",
            needed: parse => parse.GetValue(local));
        aws.AddTo(command);

        // Each option applies to one way of running; given to the other it would be ignored, so it is refused (checked
        // before the table, whose absence matters only with --local).
        CliOptions.Check(command, parse => parse.GetValue(local)
            ? new Option[] { wait, stateMachine, poll }.FirstOrDefault(o => CliOptions.Given(parse, o)) is { } stepFunctionsOnly
                ? $"{stepFunctionsOnly.Name} applies to Step Functions executions, not to --local (which always waits)."
                : null
            : CliOptions.Given(parse, json)
                ? $"{json.Name} applies only with --local."
            : !parse.GetValue(wait) && new Option[] { table, summary, result }.FirstOrDefault(o => CliOptions.Given(parse, o)) is { } waitedOnly
                ? $"{waitedOnly.Name} needs --wait: it is about how the deployment ended."
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

                var files = new DeploymentReport.Files(parse.GetValue(summary)?.FullName, parse.GetValue(result)?.FullName);
                if (isLocal)
                {
                    return await LocalDeployCommand.RunAsync(
                        request!, CliOptions.TableName(parse, table)!, aws.Settings(parse), parse.GetValue(json), new LocalDeployCommand.Terminal(output, error, Console.In), cancellationToken, files: files);
                }

                var watch = parse.GetValue(wait)
                    ? new Watch(parse.GetValue(poll), CliOptions.TableName(parse, table), files)
                    : null;
                return await StartAsync(parse, aws, request!, parse.GetValue(stateMachine), watch, output, error, cancellationToken);
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

    /// <summary>What <c>--wait</c> asked for: the poll interval, the ledger table (optional) and the report files.</summary>
    private sealed record Watch(int PollSeconds, string? Table, DeploymentReport.Files Files);

    private static async Task<int> StartAsync(
        ParseResult parse, AwsCommandOptions aws, JsonObject input, string? stateMachineArn, Watch? watch, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var arn = stateMachineArn ?? Environment.GetEnvironmentVariable(StateMachineVariable);
        var discovered = string.IsNullOrWhiteSpace(arn);
        if (discovered)
        {
            // Nothing named: the environment the PhoenixPipeline stack published in this region (all of it, so a table
            // named alone never mixes with another installation's state machine).
            using var ssm = new AwsClientFactory(aws.Settings(parse)).SimpleSystemsManagement();
            try
            {
                var environment = await new EnvironmentDiscovery(new EnvironmentParametersAdapter(ssm))
                    .ResolveAsync(null, watch?.Table, wantTable: watch is { Files.Any: true }, cancellationToken);
                arn = environment.StateMachineArn;
                watch = watch is null ? null : watch with { Table = environment.TableName };
            }
            catch (EnvironmentNotFound ex)
            {
                await error.WriteLineAsync($"phoenix deploy: {ex.Message}");
                return ExitCodes.BadInput;
            }
        }

        if (!AwsCommandOptions.TryParseStateMachineArn(arn!, out var region))
        {
            // --state-machine-arn was checked while parsing: a bad ARN here came from the environment or SSM.
            var from = discovered ? $"{EnvironmentDiscovery.StateMachineParameter} holds" : $"{StateMachineVariable} holds";
            await error.WriteLineAsync($"phoenix deploy: {from} '{arn}', which is not a Step Functions state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME).");
            return ExitCodes.BadInput;
        }

        if (discovered)
        {
            await output.WriteLineAsync($"State machine {arn} (from {EnvironmentDiscovery.StateMachineParameter})" +
                (watch?.Table is { } found ? $", table {found}" : string.Empty));
        }

        var settings = aws.Settings(parse, region);
        using var client = new AwsClientFactory(settings).StepFunctions();
        var application = input["application"]!.GetValue<string>();
        var name = ExecutionName(application, DateTimeOffset.UtcNow);
        var started = await client.StartExecutionAsync(
            new StartExecutionRequest { StateMachineArn = arn, Name = name, Input = input.ToJsonString() }, cancellationToken);
        await output.WriteLineAsync($"Started {started.ExecutionArn}");
        if (watch is null)
        {
            return ExitCodes.Success;
        }

        // Each event is printed as it appears, so a CI job log follows the deployment live.
        await output.WriteLineAsync("Following the execution; times are from its start.");
        var (execution, events) = await ExecutionTimeline.FollowAsync(
            client, started.ExecutionArn!, started.StartDate, TimeSpan.FromSeconds(watch.PollSeconds), output, cancellationToken);
        var origin = ExecutionTimeline.Origin(started.StartDate ?? execution.StartDate, events);
        await output.WriteAsync(ExecutionTimeline.Header(execution, origin) + ExecutionTimeline.Footer(execution));
        var exitCode = execution.Status == "SUCCEEDED" ? ExitCodes.Success : ExitCodes.Failed;
        if (!watch.Files.Any)
        {
            return exitCode;
        }

        var deploymentId = execution.Name ?? name;
        var ledger = watch.Table is null ? null : await ReadLedgerAsync(settings, watch.Table, application, deploymentId, error, cancellationToken);
        var formatter = new ExecutionTimeline.Formatter(origin);
        var timeline = events.OrderBy(e => e.Id).Select(formatter.Entry).Where(e => DeploymentReport.IsMilestone(e.Event)).ToList();
        var report = new DeploymentReport(
            application, started.ExecutionArn!, deploymentId, execution.Status ?? "UNKNOWN", execution.Error, execution.Cause,
            ToOffset(execution.StartDate ?? started.StartDate), ToOffset(execution.StopDate), timeline, ledger, exitCode);
        await watch.Files.WriteAsync(report, cancellationToken);
        return exitCode;
    }

    /// <summary>
    /// The execution's ledger entry, or null with a warning: a summary without it is still worth writing, and the
    /// deployment's own result must not turn into a failure because a read of the ledger was refused.
    /// </summary>
    private static async Task<DeploymentRecord?> ReadLedgerAsync(
        AwsClientSettings settings, string table, string application, string deploymentId, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            // The table is in the state machine's region: the stacks deploy together.
            using var dynamo = new AwsClientFactory(settings).DynamoDb();
            return await new DeploymentLedgerAdapter(dynamo, table).GetAsync(application, deploymentId, cancellationToken);
        }
        catch (Exception ex) when (ex is AmazonServiceException or TransientFailure)
        {
            await error.WriteLineAsync($"phoenix deploy: could not read the ledger entry {deploymentId} from table '{table}': {ex.Message}");
            return null;
        }
    }

    private static DateTimeOffset? ToOffset(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc)) : null;

    [GeneratedRegex("^[A-Za-z0-9_-]{1,63}$")]
    private static partial Regex ApplicationPattern();
}
