using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Asl;

namespace Phoenix.Cli.Commands;

/// <summary>
/// The <c>--mocks</c> file of <c>phoenix asl run</c>, in either of two formats, told apart by their top-level keys:
/// <list type="bullet">
/// <item>Phoenix's: per Task state, the answers of its successive invocations (<c>{"return": json}</c> or
/// <c>{"throw": {"error", "cause"}}</c>); the last answer repeats. For <c>lambda:invoke</c> tasks <c>return</c> is
/// the function's payload.</item>
/// <item>AWS Step Functions Local's MockConfigFile (<c>StateMachines</c> → <c>TestCases</c> → state → mocked response
/// name; <c>MockedResponses</c> → name → <c>"0"</c>, <c>"1-2"</c> … → <c>Return</c> or <c>Throw {Error, Cause}</c>),
/// https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html. As there, <c>Return</c> is the
/// integration's whole response: for <c>lambda:invoke</c> the Invoke response, whose <c>Payload</c> becomes the
/// function's result here (Phoenix.Asl builds the envelope). An invocation beyond the numbers the response defines
/// has no answer.</item>
/// </list>
/// <c>.waitForTaskToken</c> tasks get their answer as the callback. A Task state reached with no answer stops the run
/// (<see cref="Unanswered"/>): that is a gap in the mocks, the caller's input, not a failure of the state machine,
/// which a Catch could otherwise swallow.
/// </summary>
internal sealed class TaskMocks
{
    /// <summary>The error the run is stopped with when a Task state has no answer.</summary>
    public const string NoMockError = "Phoenix.NoMock";

    private readonly Dictionary<string, Answer[]> _answers;
    private readonly bool _lastRepeats;
    private readonly Dictionary<string, int> _calls = new(StringComparer.Ordinal);

    private TaskMocks(Dictionary<string, Answer[]> answers, string? file, bool lastRepeats, string? testCase)
    {
        _answers = answers;
        File = file;
        _lastRepeats = lastRepeats;
        TestCase = testCase;
    }

    public static TaskMocks None => new(new Dictionary<string, Answer[]>(StringComparer.Ordinal), null, true, null);

    /// <summary>The mocks file (null: none was given).</summary>
    public string? File { get; }

    /// <summary>The MockConfigFile test case in use (null: Phoenix's format).</summary>
    public string? TestCase { get; }

    /// <summary>The first Task state the run reached that no mock answers (null: every one was answered).</summary>
    public string? Unanswered { get; private set; }

    /// <summary>The 0-based invocation of <see cref="Unanswered"/> that had no answer.</summary>
    public int UnansweredCall { get; private set; }

    /// <summary>What the run stopped on, for stderr (null: nothing).</summary>
    public string? Gap => Unanswered is not { } state ? null
        : File is null ? $"the execution reached Task state '{state}', but no --mocks FILE answers it (a JSON object with \"{state}\": [{{\"return\": …}}])."
        : TestCase is not null && _answers.ContainsKey(state)
            ? $"--mocks: test case '{TestCase}' in file '{File}' has no response for invocation {UnansweredCall} (counting from 0) of Task state '{state}'; add \"{UnansweredCall}\" to its mocked response."
        : TestCase is not null
            ? $"--mocks: test case '{TestCase}' in file '{File}' does not mock Task state '{state}', which the execution reached; add \"{state}\": \"<mocked response>\" to it."
        : $"--mocks: file '{File}' has no answer for Task state '{state}', which the execution reached; add \"{state}\": [{{\"return\": …}}] to it.";

    public static bool TryParse(string text, string file, IReadOnlySet<string> taskStates, out TaskMocks mocks, out string? problem) =>
        TryParse(text, file, taskStates, null, null, out mocks, out problem);

    /// <summary>
    /// Reads either format. <paramref name="stateMachine"/> picks the MockConfigFile's state machine when it holds
    /// several (the definition file's name); <paramref name="testCase"/> its test case (required when there are several).
    /// </summary>
    public static bool TryParse(
        string text, string file, IReadOnlySet<string> taskStates, string? stateMachine, string? testCase, out TaskMocks mocks, out string? problem)
    {
        mocks = None;
        problem = null;
        if (!StrictJson.TryParse(text, out var root, out var problems))
        {
            problem = $"--mocks file '{file}' {(problems[0].DuplicateKey is null ? "is" : "has a")} {problems[0].Message}.";
            return false;
        }

        if (root is not JsonObject top)
        {
            problem = $"--mocks file '{file}' must be a JSON object: Task state names to answers, or a Step Functions Local MockConfigFile.";
            return false;
        }

        if (IsMockConfig(top, taskStates))
        {
            return TryReadMockConfig(top, file, taskStates, stateMachine, testCase, out mocks, out problem);
        }

        if (testCase is not null)
        {
            problem = $"--mock-test-case '{testCase}': --mocks file '{file}' is not a Step Functions Local MockConfigFile (no StateMachines/MockedResponses), so it has no test cases.";
            return false;
        }

        var answers = new Dictionary<string, Answer[]>(StringComparer.Ordinal);
        foreach (var (state, list) in top)
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

            var parsed = new Answer[entries.Count];
            for (var i = 0; i < entries.Count; i++)
            {
                if (Answer.FromPhoenix(entries[i]) is not { } answer)
                {
                    problem = $"--mocks file '{file}': '{state}'[{i}] must be {{\"return\": <json>}} or {{\"throw\": {{\"error\": \"...\", \"cause\": \"...\"}}}}, not {entries[i]?.ToJsonString() ?? "null"}.";
                    return false;
                }

                parsed[i] = answer;
            }

            answers[state] = parsed;
        }

        mocks = new TaskMocks(answers, file, lastRepeats: true, testCase: null);
        return true;
    }

    /// <summary>The handler every Task resource resolves to; it answers by state name.</summary>
    public TaskHandler HandlerFor(Task<AslExecution> execution) => async (request, cancellationToken) =>
    {
        var answer = Next(request.StateName);
        if (answer is null)
        {
            (await execution).Stop(NoMockError, $"Task state '{request.StateName}' has no answer in --mocks.");

            // Stop takes effect asynchronously: answer nothing until it cancels this task, so no state runs after it.
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            return null;
        }

        var result = answer.Result(request.Resource);
        if (request.TaskToken is { } token)
        {
            // A callback task: the mock plays the role of whoever completes the token.
            var running = await execution;
            if (answer.Error is { } callbackError)
            {
                running.SendTaskFailure(token, callbackError, answer.Cause);
            }
            else
            {
                running.SendTaskSuccess(token, result);
            }

            return null;
        }

        return answer.Error is { } error ? throw new TaskFailedException(error, answer.Cause) : result;
    };

    private Answer? Next(string state)
    {
        lock (_calls)
        {
            var call = _calls.GetValueOrDefault(state);
            _calls[state] = call + 1;
            if (_answers.TryGetValue(state, out var answers) && (call < answers.Length || (_lastRepeats && answers.Length > 0)))
            {
                return answers[Math.Min(call, answers.Length - 1)];
            }

            if (Unanswered is null)
            {
                Unanswered = state;
                UnansweredCall = call;
            }

            return null;
        }
    }

    // A MockConfigFile has these two top-level keys; a Phoenix mocks file has Task state names there.
    private static bool IsMockConfig(JsonObject top, IReadOnlySet<string> taskStates) =>
        (top.ContainsKey("StateMachines") || top.ContainsKey("MockedResponses"))
        && !taskStates.Contains("StateMachines") && !taskStates.Contains("MockedResponses");

    private static bool TryReadMockConfig(
        JsonObject top, string file, IReadOnlySet<string> taskStates, string? stateMachine, string? testCase, out TaskMocks mocks, out string? problem)
    {
        mocks = None;
        if (top["StateMachines"] is not JsonObject machines || machines.Count == 0 || top["MockedResponses"] is not JsonObject responses)
        {
            problem = $"--mocks file '{file}' looks like a Step Functions Local MockConfigFile but needs both \"StateMachines\" (state machine → TestCases) and \"MockedResponses\" objects.";
            return false;
        }

        string machine;
        if (machines.Count == 1)
        {
            machine = machines.First().Key;
        }
        else if (stateMachine is not null && machines.ContainsKey(stateMachine))
        {
            machine = stateMachine;
        }
        else
        {
            problem = $"--mocks file '{file}' mocks state machines {Names(machines)}; name the definition file after the one to use (it is '{stateMachine}').";
            return false;
        }

        if (machines[machine]?["TestCases"] is not JsonObject cases || cases.Count == 0)
        {
            problem = $"--mocks file '{file}': state machine '{machine}' needs a non-empty \"TestCases\" object.";
            return false;
        }

        if (testCase is null && cases.Count > 1)
        {
            problem = $"--mocks file '{file}': state machine '{machine}' has test cases {Names(cases)}; choose one with --mock-test-case.";
            return false;
        }

        testCase ??= cases.First().Key;
        if (cases[testCase] is not JsonObject mockedStates)
        {
            problem = cases.ContainsKey(testCase)
                ? $"--mocks file '{file}': test case '{testCase}' must be an object of Task state names to mocked response names."
                : $"--mock-test-case '{testCase}': state machine '{machine}' in --mocks file '{file}' has no such test case (it has {Names(cases)}).";
            return false;
        }

        var answers = new Dictionary<string, Answer[]>(StringComparer.Ordinal);
        foreach (var (state, responseName) in mockedStates)
        {
            if (!taskStates.Contains(state))
            {
                problem = $"--mocks file '{file}': test case '{testCase}' mocks '{state}', which is not a Task state of the definition (Task states: {string.Join(", ", taskStates.Order(StringComparer.Ordinal))}).";
                return false;
            }

            var name = responseName is JsonValue v && v.TryGetValue<string>(out var n) ? n : null;
            if (name is null || responses[name] is not JsonObject byCall)
            {
                problem = $"--mocks file '{file}': test case '{testCase}' maps '{state}' to {responseName?.ToJsonString() ?? "null"}, which names no object under \"MockedResponses\".";
                return false;
            }

            if (!TryReadResponse(byCall, $"--mocks file '{file}': mocked response '{name}'", out var parsed, out problem))
            {
                return false;
            }

            answers[state] = parsed;
        }

        mocks = new TaskMocks(answers, file, lastRepeats: false, testCase);
        problem = null;
        return true;
    }

    /// <summary>"0", "1-2", "3": each invocation number (from 0) once, none skipped.</summary>
    private static bool TryReadResponse(JsonObject byCall, string where, out Answer[] answers, out string? problem)
    {
        answers = [];
        var slots = new SortedDictionary<int, Answer>();
        foreach (var (key, value) in byCall)
        {
            var dash = key.IndexOf('-', StringComparison.Ordinal);
            if (!int.TryParse(dash < 0 ? key : key[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                || !int.TryParse(dash < 0 ? key : key[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
                || last < first || last > 10_000)
            {
                problem = $"{where}: key '{key}' must be an invocation number from 0 (\"0\") or a range (\"1-2\").";
                return false;
            }

            if (Answer.FromMockConfig(value) is not { } answer)
            {
                problem = $"{where}: \"{key}\" must be {{\"Return\": <json>}} or {{\"Throw\": {{\"Error\": \"...\", \"Cause\": \"...\"}}}}, not {value?.ToJsonString() ?? "null"}.";
                return false;
            }

            for (var call = first; call <= last; call++)
            {
                if (!slots.TryAdd(call, answer))
                {
                    problem = $"{where}: invocation {call} is given twice (key '{key}').";
                    return false;
                }
            }
        }

        if (slots.Count == 0 || slots.Keys.Last() != slots.Count - 1)
        {
            var missing = Enumerable.Range(0, slots.Count == 0 ? 1 : slots.Keys.Last() + 1).First(i => !slots.ContainsKey(i));
            problem = $"{where}: invocation {missing} has no response; number them from 0 with no gap.";
            return false;
        }

        answers = [.. slots.Values];
        problem = null;
        return true;
    }

    private static string Names(JsonObject obj) => string.Join(", ", obj.Select(p => $"'{p.Key}'"));

    /// <summary>One mocked invocation: a result, or an error and cause.</summary>
    private sealed record Answer(JsonNode? Value, string? Error, string? Cause, bool IsIntegrationResponse)
    {
        /// <summary>The handler's result for <paramref name="resource"/> (a copy: the engine may keep it).</summary>
        public JsonNode? Result(string resource) =>
            IsIntegrationResponse && resource.StartsWith("arn:aws:states:::lambda:invoke", StringComparison.Ordinal) && Value is JsonObject invoke
                ? invoke["Payload"]?.DeepClone()
                : Value?.DeepClone();

        public static Answer? FromPhoenix(JsonNode? entry)
        {
            if (entry is not JsonObject o || o.Count != 1)
            {
                return null;
            }

            if (o.TryGetPropertyValue("return", out var value))
            {
                return new Answer(value, null, null, false);
            }

            return Thrown(o["throw"], "error", "cause") is { } t ? t with { IsIntegrationResponse = false } : null;
        }

        public static Answer? FromMockConfig(JsonNode? entry)
        {
            if (entry is not JsonObject o || o.Count != 1)
            {
                return null;
            }

            if (o.TryGetPropertyValue("Return", out var value))
            {
                return new Answer(value, null, null, true);
            }

            return Thrown(o["Throw"], "Error", "Cause");
        }

        private static Answer? Thrown(JsonNode? node, string errorKey, string causeKey) =>
            node is JsonObject t
            && t[errorKey] is JsonValue e && e.GetValueKind() == JsonValueKind.String
            && (t[causeKey] is null || (t[causeKey] is JsonValue c && c.GetValueKind() == JsonValueKind.String))
            && t.All(p => p.Key == errorKey || p.Key == causeKey)
                ? new Answer(null, e.GetValue<string>(), t[causeKey]?.GetValue<string>(), true)
                : null;
    }
}
