using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Asl;

namespace Phoenix.Cli.Commands;

/// <summary>
/// The <c>--mocks</c> file of <c>phoenix asl run</c>: per Task state, the answers of its successive invocations
/// (<c>{"return": json}</c> or <c>{"throw": {"error", "cause"}}</c>); the last answer repeats. For
/// <c>lambda:invoke</c> tasks <c>return</c> is the function's payload; <c>.waitForTaskToken</c> tasks get their
/// answer as the callback. A Task state reached with no answer stops the run (<see cref="Unanswered"/>): that is a gap in
/// the mocks, the caller's input, not a failure of the state machine, which a Catch could otherwise swallow.
/// </summary>
internal sealed class TaskMocks
{
    /// <summary>The error the run is stopped with when a Task state has no answer.</summary>
    public const string NoMockError = "Phoenix.NoMock";

    private readonly Dictionary<string, JsonObject[]> _answers;
    private readonly Dictionary<string, int> _calls = new(StringComparer.Ordinal);

    private TaskMocks(Dictionary<string, JsonObject[]> answers, string? file)
    {
        _answers = answers;
        File = file;
    }

    public static TaskMocks None => new(new Dictionary<string, JsonObject[]>(StringComparer.Ordinal), null);

    /// <summary>The mocks file (null: none was given).</summary>
    public string? File { get; }

    /// <summary>The first Task state the run reached that no mock answers (null: every one was answered).</summary>
    public string? Unanswered { get; private set; }

    public static bool TryParse(string text, string file, IReadOnlySet<string> taskStates, out TaskMocks mocks, out string? problem)
    {
        mocks = None;
        problem = null;
        if (!StrictJson.TryParse(text, out var root, out var problems))
        {
            problem = $"--mocks file '{file}' {(problems[0].DuplicateKey is null ? "is" : "has a")} {problems[0].Message}.";
            return false;
        }

        if (root is not JsonObject byState)
        {
            problem = $"--mocks file '{file}' must be a JSON object keyed by Task state name.";
            return false;
        }

        var answers = new Dictionary<string, JsonObject[]>(StringComparer.Ordinal);
        foreach (var (state, list) in byState)
        {
            if (!taskStates.Contains(state))
            {
                problem = $"--mocks file '{file}' mocks '{state}', which is not a Task state of the definition (Task states: {string.Join(", ", taskStates.Order(StringComparer.Ordinal))}).";
                return false;
            }

            if (list is not JsonArray entries || entries.Count == 0)
            {
                problem = $"--mocks file '{file}': '{state}' must be a non-empty list of {{\"return\": ...}} or {{\"throw\": {{\"error\", \"cause\"}}}}.";
                return false;
            }

            for (var i = 0; i < entries.Count; i++)
            {
                if (!IsAnswer(entries[i]))
                {
                    problem = $"--mocks file '{file}': '{state}'[{i}] must be {{\"return\": <json>}} or {{\"throw\": {{\"error\": \"...\", \"cause\": \"...\"}}}}, not {entries[i]?.ToJsonString() ?? "null"}.";
                    return false;
                }
            }

            answers[state] = [.. entries.Select(e => e!.AsObject())];
        }

        mocks = new TaskMocks(answers, file);
        return true;
    }

    /// <summary>The handler every Task resource resolves to; it answers by state name.</summary>
    public TaskHandler HandlerFor(Task<AslExecution> execution) => async (request, cancellationToken) =>
    {
        var answer = Next(request.StateName);
        if (answer is null)
        {
            Unanswered ??= request.StateName;
            (await execution).Stop(NoMockError, $"Task state '{request.StateName}' has no answer in --mocks.");

            // Stop takes effect asynchronously: answer nothing until it cancels this task, so no state runs after it.
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            return null;
        }

        if (request.TaskToken is { } token)
        {
            // A callback task: the mock plays the role of whoever completes the token.
            var running = await execution;
            if (answer["throw"] is JsonObject thrown)
            {
                running.SendTaskFailure(token, thrown["error"]!.GetValue<string>(), thrown["cause"]?.GetValue<string>());
            }
            else
            {
                running.SendTaskSuccess(token, answer["return"]?.DeepClone());
            }

            return null;
        }

        if (answer["throw"] is JsonObject failure)
        {
            throw new TaskFailedException(failure["error"]!.GetValue<string>(), failure["cause"]?.GetValue<string>());
        }

        return answer["return"]?.DeepClone();
    };

    private JsonObject? Next(string state)
    {
        if (!_answers.TryGetValue(state, out var answers))
        {
            return null;
        }

        lock (_calls)
        {
            var call = _calls.GetValueOrDefault(state);
            _calls[state] = call + 1;
            return answers[Math.Min(call, answers.Length - 1)];
        }
    }

    private static bool IsAnswer(JsonNode? entry)
    {
        if (entry is not JsonObject o || o.Count != 1)
        {
            return false;
        }

        if (o.ContainsKey("return"))
        {
            return true;
        }

        return o["throw"] is JsonObject t
            && t["error"] is JsonValue e && e.GetValueKind() == JsonValueKind.String
            && (t["cause"] is null || (t["cause"] is JsonValue c && c.GetValueKind() == JsonValueKind.String))
            && t.All(p => p.Key is "error" or "cause");
    }
}
