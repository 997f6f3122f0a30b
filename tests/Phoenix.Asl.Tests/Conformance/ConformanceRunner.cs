using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Phoenix.Asl.Tests.Conformance;

/// <summary>
/// Replays one recorded case on a <see cref="VirtualClock"/>: the recorded Context values are injected, each Task
/// call is answered with the recorded Lambda result or error in order, and a recorded timeout is a call that never
/// answers (so the engine's own TimeoutSeconds fires).
/// </summary>
internal static class ConformanceRunner
{
    private static readonly DateTimeOffset DefaultStart = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<ExecutionResult> RunAsync(JsonObject testCase)
    {
        var definition = StateMachineDefinition.Parse(testCase["definition"]!.ToJsonString());
        var start = testCase["clock_now"] is JsonValue now
            ? DateTimeOffset.Parse(now.GetValue<string>(), CultureInfo.InvariantCulture)
            : DefaultStart;
        var clock = new VirtualClock(start);
        var options = new ExecutionOptions { Time = clock, Tasks = Registry(testCase) };
        if (testCase["context"] is JsonObject context)
        {
            var execution = context["Execution"]!.AsObject();
            var stateMachine = context["StateMachine"]!.AsObject();
            options = new ExecutionOptions
            {
                Time = clock,
                Tasks = options.Tasks,
                ExecutionArn = execution["Id"]?.GetValue<string>(),
                ExecutionName = execution["Name"]?.GetValue<string>(),
                RoleArn = execution["RoleArn"]?.GetValue<string>(),
                StartTimeText = execution["StartTime"]?.GetValue<string>(),
                RedriveCount = execution["RedriveCount"]?.GetValue<int>() ?? 0,
                StateMachineArn = stateMachine["Id"]?.GetValue<string>(),
                StateMachineName = stateMachine["Name"]?.GetValue<string>() ?? "StateMachine",
            };
        }

        var run = AslEngine.Start(definition, testCase["input"], options);
        var finished = await Task.WhenAny(run.Completion, Task.Delay(TimeSpan.FromSeconds(30)));
        if (finished != run.Completion)
        {
            run.Stop("Harness.Timeout", "the replay did not finish within 30 s of real time");
        }

        return await run.Completion;
    }

    private static TaskRegistry Registry(JsonObject testCase)
    {
        var registry = new TaskRegistry();
        if (testCase["lambda"] is not JsonObject lambda)
        {
            return registry;
        }

        var next = new Dictionary<string, int>(StringComparer.Ordinal);
        async ValueTask<JsonNode?> Replay(TaskRequest request, CancellationToken ct)
        {
            var calls = lambda[request.StateName]?.AsArray()
                ?? throw new InvalidOperationException($"No recorded Lambda calls for state '{request.StateName}'.");
            var index = next.GetValueOrDefault(request.StateName);
            next[request.StateName] = index + 1;
            if (index >= calls.Count)
            {
                throw new InvalidOperationException($"State '{request.StateName}' was called {index + 1} times; AWS recorded {calls.Count}.");
            }

            var call = calls[index]!.AsObject();
            if (call["error"] is JsonValue error)
            {
                var name = error.GetValue<string>();
                if (name is "States.Timeout" or "States.HeartbeatTimeout")
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                }

                throw new TaskFailedException(name, CauseText(call));
            }

            var kind = call["kind"]!.GetValue<string>();
            return (kind == "lambda:invoke" ? call["payload"] : call["output"])?.DeepClone();
        }

        // Every string of the definition and input may name a function (Resource ARNs, FunctionName values).
        foreach (var text in Strings(testCase["definition"]).Concat(Strings(testCase["input"])))
        {
            if (!text.EndsWith(".$", StringComparison.Ordinal) && text.Length > 0 && !text.StartsWith('$'))
            {
                registry.Register(text, Replay);
            }
        }

        return registry;
    }

    private static string? CauseText(JsonObject call)
    {
        var cause = call["cause"];
        if (cause is null)
        {
            return null;
        }

        if (call["cause_is_json"]?.GetValue<bool>() != true)
        {
            return cause.GetValue<string>();
        }

        // Python Lambda runtimes print their error JSON with ", " and ": "; the optimised integration compacts it.
        return call["kind"]!.GetValue<string>() == "lambda:invoke" ? cause.ToJsonString(Relaxed) : PythonJson(cause);
    }

    private static string PythonJson(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(node, text);
        return text.ToString();

        static void Write(JsonNode? node, StringBuilder text)
        {
            switch (node)
            {
                case JsonObject obj:
                    text.Append('{');
                    var first = true;
                    foreach (var (key, value) in obj)
                    {
                        text.Append(first ? "" : ", ").Append(JsonValue.Create(key).ToJsonString(Relaxed)).Append(": ");
                        Write(value, text);
                        first = false;
                    }

                    text.Append('}');
                    break;
                case JsonArray array:
                    text.Append('[');
                    for (var i = 0; i < array.Count; i++)
                    {
                        text.Append(i == 0 ? "" : ", ");
                        Write(array[i], text);
                    }

                    text.Append(']');
                    break;
                default:
                    text.Append(node?.ToJsonString(Relaxed) ?? "null");
                    break;
            }
        }
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => Strings(p.Value)),
        JsonArray array => array.SelectMany(Strings),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => [value.GetValue<string>()],
        _ => [],
    };
}
