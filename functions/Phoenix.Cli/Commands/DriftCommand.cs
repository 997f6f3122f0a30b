using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Asl;
using Phoenix.Cli.Simulation;
using Phoenix.Cli.Simulation.Drift;
using Phoenix.Core.Drift;

namespace Phoenix.Cli.Commands;

/// <summary>
/// <c>phoenix drift --events FILE.jsonl [--json]</c>: feeds EventBridge events (one JSON object per line, as the drift
/// queue would carry them) to the DriftHandler against the simulated region, and prints the chat messages it would
/// send. Exit 0 when every event was handled, 1 when some were rejected (they would go to the DLQ), 2 for bad input.
/// </summary>
public static class DriftCommand
{
    /// <summary>The simulated region holds this fleet (4 instances, replacement off) so instance events resolve.</summary>
    public const string Application = "web";

    public static Command Create()
    {
        var events = CliOptions.ExistingFile(
            "--events",
            "JSON Lines, one EventBridge event per line",
            "A JSON Lines file of EventBridge events (Config compliance changes, CloudFormation drift detection, Step Functions execution status changes).",
            required: true);
        var json = new Option<bool>("--json") { Description = "Print the outcome and the exact Chatbot notification JSON instead of a transcript." };
        var command = new Command("drift", "Run the drift handler on events against the simulated region and print the chat messages it would send.")
        {
            events,
            json,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetRequiredValue(events)!, parse.GetValue(json), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private const string ExpectedForm = "expected one EventBridge event, a JSON object, per line";

    public static async Task<int> RunAsync(FileInfo file, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var lines = (await File.ReadAllLinesAsync(file.FullName, cancellationToken))
            .Select((body, index) => (Body: body, Line: index + 1))
            .Where(l => !string.IsNullOrWhiteSpace(l.Body))
            .ToList();
        if (lines.Count == 0)
        {
            await error.WriteLineAsync($"phoenix drift: events file '{file.FullName}' holds no events ({ExpectedForm}).");
            return ExitCodes.BadInput;
        }

        // A line that is not a JSON object is a mistake in the file, not an event the queue would reject: say where it
        // is in one line and run nothing, rather than passing the parser's own text through as a rejected event.
        foreach (var (body, line) in lines)
        {
            if (NotAnEvent(body) is { } problem)
            {
                await error.WriteLineAsync($"phoenix drift: events file '{file.FullName}' line {line}: {problem} ({ExpectedForm}).");
                return ExitCodes.BadInput;
            }
        }

        var messages = lines.Select(l => new SqsMessage($"line-{l.Line}", l.Body)).ToList();
        var clock = new VirtualClock(DriftScenarioRunner.Start);
        var region = new SimulatedRegion(clock);
        region.CreateFleet(new FleetSpec(Application, 4, DriftScenario.StartImage));
        var lab = new DriftLab(region, [Application]);
        var outcomes = new List<DriftOutcome>();
        var calls = 0;
        foreach (var batch in messages.Chunk(DriftLab.SqsBatchSize))
        {
            var result = await lab.Handler.HandleBatchAsync(batch, cancellationToken);
            outcomes.AddRange(result.Outcomes);
            calls += result.PublishCalls;
        }

        if (json)
        {
            await output.WriteLineAsync(ToJson(outcomes, calls).ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        }
        else
        {
            foreach (var outcome in outcomes)
            {
                await output.WriteLineAsync($"{outcome.MessageId}: {outcome.Disposition}{(outcome.Detail is null ? string.Empty : $" - {outcome.Detail}")}");
                foreach (var notification in outcome.Notifications)
                {
                    await output.WriteAsync(ChatRenderer.Render(notification));
                }
            }

            var failed = outcomes.Count(o => o.Disposition == DriftDisposition.Failed);
            await output.WriteLineAsync($"{outcomes.Count} event(s): {outcomes.Sum(o => o.Notifications.Count)} chat message(s) in {calls} SNS PublishBatch call(s); {failed} rejected.");
        }

        return outcomes.Exists(o => o.Disposition == DriftDisposition.Failed) ? ExitCodes.Failed : ExitCodes.Success;
    }

    /// <summary>What is wrong with one line of the events file, or null when it is a JSON object.</summary>
    private static string? NotAnEvent(string line)
    {
        if (!StrictJson.TryParse(line, out var node, out var problems))
        {
            var first = problems[0];
            return first.DuplicateKey is { } key
                ? $"duplicate key '{key}' at column {first.Column}"
                : $"not valid JSON at column {first.Column}";
        }

        return node switch
        {
            JsonObject => null,
            JsonArray => "a JSON array, not an object",
            JsonValue value => $"a JSON {value.GetValueKind().ToString().ToLowerInvariant()}, not an object",
            _ => "a JSON null, not an object",
        };
    }

    private static JsonObject ToJson(List<DriftOutcome> outcomes, int calls)
    {
        var events = new JsonArray();
        foreach (var outcome in outcomes)
        {
            var notifications = new JsonArray();
            foreach (var notification in outcome.Notifications)
            {
                notifications.Add(JsonSerializer.SerializeToNode(notification, DriftJsonContext.Relaxed.ChatNotification));
            }

            // Typed as JsonNode so the non-generic Add is chosen: JsonArray.Add<T> may create values by reflection,
            // which the Native AOT build refuses.
            events.Add((JsonNode)new JsonObject
            {
                ["messageId"] = outcome.MessageId,
                ["disposition"] = outcome.Disposition.ToString(),
                ["detail"] = outcome.Detail,
                ["notifications"] = notifications,
            });
        }

        return new JsonObject { ["events"] = events, ["publishCalls"] = calls };
    }
}
