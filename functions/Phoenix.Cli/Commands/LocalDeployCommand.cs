using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using Phoenix.Asl;
using Phoenix.Aws;
using Phoenix.Aws.Adapters;
using Phoenix.Aws.SecurityToken.Model;
using Phoenix.Cli.Local;
using Phoenix.Cli.Simulation;
using Phoenix.Core;
using Phoenix.Core.Domain;
using Phoenix.Core.Workflow;

namespace Phoenix.Cli.Commands;

/// <summary>
/// <c>phoenix deploy --local</c>: the workflow in this process (<see cref="LocalDeployment"/>) against the configured
/// account or endpoint, with live progress read from the real fleet. Exit 0 deployed, 1 failed, 2 bad input with
/// nothing changed. Ctrl-C (or SIGTERM) stops through the workflow's rollback path; a second one exits at once.
/// </summary>
public static class LocalDeployCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    // The errors with which Validate refuses a request: bad input, nothing locked or changed.
    private static readonly HashSet<string> Rejections = new(StringComparer.Ordinal) { nameof(InvalidDeploymentRequest), nameof(ApplicationNotFound) };

    /// <summary>Where the command talks to its operator: progress and results, errors, and approval answers.</summary>
    public sealed record Terminal(TextWriter Output, TextWriter Error, TextReader Input);

    /// <summary>
    /// Runs one deployment. <paramref name="interrupts"/> lets a caller other than the process's signals ask it to stop
    /// (each call is one Ctrl-C); the command also listens to SIGINT and SIGTERM itself.
    /// </summary>
    public static async Task<int> RunAsync(
        JsonObject input,
        string table,
        AwsClientSettings settings,
        bool json,
        Terminal terminal,
        CancellationToken cancellationToken,
        Action<Action>? interrupts = null,
        DeploymentReport.Files? files = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(terminal);
        const string Name = "phoenix deploy --local";
        var application = input["application"]!.GetValue<string>();
        var factory = new AwsClientFactory(settings);
        var region = factory.Region.SystemName;

        // Reads only, before anything can change: who the caller is (the account the execution ARN names), and whether
        // the table and the application exist. Each missing one is bad input (exit 2), not a failed deployment.
        string account;
        using (var sts = factory.SecurityTokenService())
        {
            account = (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken)).Account ?? LocalAccountId;
        }

        try
        {
            using var dynamo = factory.DynamoDb();
            await dynamo.DescribeTableAsync(table, cancellationToken);
        }
        catch (ResourceNotFoundException)
        {
            await terminal.Error.WriteLineAsync($"{Name}: the lock and ledger table '{table}' does not exist in {region}.");
            return ExitCodes.BadInput;
        }

        using var ports = new AwsPorts(AwsClients.From(factory), new PhoenixAwsOptions(table), TimeProvider.System);
        var topology = await ports.Workflow.Topologies.GetAsync(application, cancellationToken);
        if (topology is null)
        {
            await terminal.Error.WriteLineAsync(
                $"{Name}: unknown application '{application}': no topology parameter {ParameterStoreAdapter.DefaultPrefix}{application}/topology in {region}.");
            return ExitCodes.BadInput;
        }

        var started = DateTimeOffset.UtcNow;
        var options = new LocalDeploymentOptions(region, account, DeployCommand.ExecutionName(application, started), WorkflowSettings.Default);
        using var deployment = new LocalDeployment(ports.Workflow, topology, options, (token, ct) => AskAsync(terminal, token, ct));
        using var abandon = new CancellationTokenSource();
        using var stop = cancellationToken.Register(abandon.Cancel);
        void OnInterrupt()
        {
            if (deployment.Interrupted)
            {
                abandon.Cancel();
                return;
            }

            deployment.Interrupt();
            terminal.Error.WriteLine(deployment.Finalizing
                ? $"{Name}: interrupted; the new image is already live: scaling the previous colour down now, then releasing the lock. Ctrl-C again to exit at once."
                : $"{Name}: interrupted in {deployment.CurrentState ?? "the first state"}; rolling back what was changed and releasing the lock. Ctrl-C again to exit at once.");
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
        void Handle(PosixSignalContext context)
        {
            context.Cancel = true;
            OnInterrupt();
        }

        interrupts?.Invoke(OnInterrupt);
        var report = new SimulationReport(terminal.Output);
        if (!json)
        {
            await terminal.Output.WriteLineAsync($"{Name}: deploying {application} in {region}{(settings.EndpointUrl is { } url ? $" at {url}" : string.Empty)}");
            await terminal.Output.WriteLineAsync(input["imageId"] is { } image ? $"Image {image} (given: no bake)" : "Image baked from the source first");
            await terminal.Output.WriteLineAsync($"Execution {options.ExecutionName}; times below are elapsed wall time.");
            await terminal.Output.WriteLineAsync();
        }

        var clock = Stopwatch.StartNew();
        var result = await deployment.RunAsync(
            input,
            json ? null : p => report.WriteProgress(new ProgressUpdate(p.At - started, "State", p.State, p.Fleet, options.ExecutionName)),
            abandon.Token);
        var exitCode = result.Execution.Status == ExecutionStatus.Succeeded ? ExitCodes.Success
            : !result.Interrupted && result.Execution.Error is { } error && Rejections.Contains(error) ? ExitCodes.BadInput
            : ExitCodes.Failed;
        if (json)
        {
            await terminal.Output.WriteLineAsync(Json(result, started, exitCode).ToJsonString(Indented));
        }
        else
        {
            report.EndProgress();
            await terminal.Output.WriteAsync(Summary(result, started, clock.Elapsed));
        }

        if (files is { Any: true })
        {
            await files.WriteAsync(Report(application, result, started, exitCode), CancellationToken.None);
        }

        if (result.Abandoned)
        {
            await terminal.Error.WriteLineAsync($"{Name}: exited at once during {result.LastState ?? "the execution"}; left as it was: {Left(result)}");
        }
        else if (exitCode == ExitCodes.BadInput)
        {
            await terminal.Error.WriteLineAsync($"{Name}: {result.Execution.Cause}");
        }

        return exitCode;
    }

    // When STS names no account (some emulators), the execution ARN still has to be well formed.
    private const string LocalAccountId = "000000000000";

    private static async Task<bool> AskAsync(Terminal terminal, string token, CancellationToken cancellationToken)
    {
        await terminal.Output.WriteLineAsync($"Approval requested (task token {token[..Math.Min(token.Length, 16)]}…). Shift traffic to the new colour? [y/N]");
        var answer = await terminal.Input.ReadLineAsync(cancellationToken);
        if (answer is null)
        {
            await terminal.Output.WriteLineAsync("No answer (input closed): rejected.");
            return false;
        }

        return answer.Trim().ToUpperInvariant() is "Y" or "YES";
    }

    private static string Summary(LocalDeploymentResult result, DateTimeOffset started, TimeSpan wall)
    {
        var text = new System.Text.StringBuilder();
        var execution = result.Execution;
        text.AppendLine();
        var final = result.FinalFleet;
        if (execution.Status == ExecutionStatus.Succeeded && final is not null)
        {
            var live = final.Green.Weight > final.Blue.Weight ? Colour.Green : Colour.Blue;
            var state = final.For(live);
            text.AppendLine(
                $"Result: DEPLOYED — {state.ImageId ?? "?"} is live on {live.ToWire()} ({state.HealthyTargets}/{state.DesiredCapacity} healthy, {state.Weight}% of traffic); "
                + $"{live.Other().ToWire()} scaled to {final.For(live.Other()).DesiredCapacity}.");
        }
        else
        {
            text.AppendLine($"Result: {execution.Status.ToString().ToUpperInvariant()} ({result.Ledger?.Result ?? "no ledger entry"}) — {execution.Error}: {execution.Cause}");
        }

        text.AppendLine($"Wall time: {wall.TotalSeconds:0.0} s; execution {result.ExecutionArn}");
        text.AppendLine("Traffic timeline:");
        FleetObservation? previous = null;
        foreach (var point in result.Timeline.Select(p => (p.At, Fleet: (FleetObservation?)p.Fleet)).Append((At: final?.At ?? started, Fleet: final)))
        {
            if (point.Fleet is { } fleet && (previous is null || previous.Blue.Weight != fleet.Blue.Weight || previous.Green.Weight != fleet.Green.Weight))
            {
                text.AppendLine($"  +{(point.At - started).TotalSeconds,6:0.0} s  blue {fleet.Blue.Weight,3}%  green {fleet.Green.Weight,3}%");
                previous = fleet;
            }
        }

        if (execution.History.Any(e => e.StateName == "Rollback" && e.Type == "TaskStateEntered"))
        {
            text.AppendLine($"Rolled back: traffic as before the deployment, the new colour scaled to 0, because {execution.Error}: {execution.Cause}");
        }

        if (!result.Abandoned)
        {
            text.AppendLine(result.Lock is { } held ? $"Lock: STILL HELD by {held.Owner} until {held.ExpiresAt:O}." : "Lock: released.");
            text.AppendLine(result.Ledger is { } entry
                ? $"Ledger: {entry.DeploymentId} {entry.Result} image {entry.ImageId ?? "-"} (previous {entry.PreviousImageId ?? "-"})"
                : "Ledger: no entry for this deployment.");
        }

        return text.ToString();
    }

    private static DeploymentReport Report(string application, LocalDeploymentResult result, DateTimeOffset started, int exitCode)
    {
        var execution = result.Execution;
        var timeline = execution.History
            .Where(e => DeploymentReport.IsMilestone(e.Type))
            .Select(e => new TimelineEntry(
                e.Timestamp - started,
                e.StateName,
                e.Type,
                e.Details["error"] is { } error ? $"{error}: {e.Details["cause"]}" : null))
            .ToList();
        var stopped = execution.History.Count > 0 ? execution.History[^1].Timestamp : (DateTimeOffset?)null;
        return new DeploymentReport(
            application, result.ExecutionArn, result.DeploymentId, StatusName(execution.Status), execution.Error, execution.Cause,
            started, stopped, timeline, result.Ledger, exitCode);
    }

    // As Step Functions spells them (DescribeExecution), so a report reads the same for both hosts.
    private static string StatusName(ExecutionStatus status) => status == ExecutionStatus.TimedOut ? "TIMED_OUT" : status.ToString().ToUpperInvariant();

    private static string Left(LocalDeploymentResult result)
    {
        var parts = new List<string>();
        if (result.Lock is { } held)
        {
            parts.Add($"the lock on '{held.Application}' is held by {held.Owner} until {held.ExpiresAt:O}");
        }

        if (result.FinalFleet is { } fleet)
        {
            parts.Add($"last seen: blue {fleet.Blue.Weight}% desired {fleet.Blue.DesiredCapacity} (min {fleet.Blue.MinSize}), "
                + $"green {fleet.Green.Weight}% desired {fleet.Green.DesiredCapacity} (min {fleet.Green.MinSize})");
        }

        return parts.Count == 0 ? "nothing had been changed yet." : string.Join("; ", parts) + ".";
    }

    private static JsonObject Json(LocalDeploymentResult result, DateTimeOffset started, int exitCode) => new()
    {
        ["executionArn"] = result.ExecutionArn,
        ["deploymentId"] = result.DeploymentId,
        ["status"] = result.Execution.Status.ToString().ToUpperInvariant(),
        ["error"] = result.Execution.Error,
        ["cause"] = result.Execution.Cause,
        ["exitCode"] = exitCode,
        ["interrupted"] = result.Interrupted,
        ["events"] = new JsonArray([.. result.Execution.History.Select(e => (JsonNode)e.ToJson())]),
        ["timeline"] = new JsonArray([.. result.Timeline.Select(p => (JsonNode)new JsonObject
        {
            ["timestamp"] = p.At.ToString("O"),
            ["elapsedSeconds"] = Math.Round((p.At - started).TotalSeconds, 3),
            ["state"] = p.State,
            ["blue"] = Colours(p.Fleet.Blue),
            ["green"] = Colours(p.Fleet.Green),
        })]),
        ["finalFleet"] = result.FinalFleet is { } f ? new JsonObject { ["blue"] = Colours(f.Blue), ["green"] = Colours(f.Green) } : null,
        ["lock"] = result.Lock is { } held ? new JsonObject { ["owner"] = held.Owner, ["expiresAt"] = held.ExpiresAt.ToString("O") } : null,
        ["ledger"] = result.Ledger is { } r ? new JsonObject
        {
            ["deploymentId"] = r.DeploymentId,
            ["result"] = r.Result,
            ["imageId"] = r.ImageId,
            ["previousImageId"] = r.PreviousImageId,
            ["colour"] = r.Colour,
            ["error"] = r.Error,
        } : null,
    };

    private static JsonObject Colours(ColourObservation c) => new()
    {
        ["weight"] = c.Weight,
        ["minSize"] = c.MinSize,
        ["maxSize"] = c.MaxSize,
        ["desiredCapacity"] = c.DesiredCapacity,
        ["inService"] = c.InService,
        ["healthyTargets"] = c.HealthyTargets,
        ["launchTemplateVersion"] = c.LaunchTemplateVersion,
        ["imageId"] = c.ImageId,
    };
}
