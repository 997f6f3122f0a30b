using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Asl.Intrinsics;
using Phoenix.Asl.Model;
using Phoenix.Asl.Paths;

namespace Phoenix.Asl;

/// <summary>
/// Runs one execution: states in order, input/output processing in Step Functions' order (InputPath, Parameters,
/// work, ResultSelector, ResultPath, OutputPath), Retry/Catch, timeouts, and the history.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Design",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "_stop has no timer or wait handle to release, and Stop may be called after the execution ends.")]
internal sealed partial class Interpreter
{
    private readonly StateMachineDefinition _definition;
    private readonly ExecutionOptions _options;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly List<HistoryEvent> _history = [];
    private readonly Dictionary<string, PendingCallback> _callbacks = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    // Completed only from the execution's own scheduler (see Dispatch), so its continuations never leave it.
    private readonly TaskCompletionSource<(string? Error, string? Cause)> _aborted = new();
    private readonly JsonObject _executionContext;
    private readonly JsonObject _stateMachineContext;
    // Events are built only for someone: the kept history or the host's OnEvent. Otherwise only their ids are counted.
    private readonly bool _recording;
    private long _lastEventId;
    private bool _closed;
    private bool _historyFull;

    public Interpreter(StateMachineDefinition definition, JsonNode? input, ExecutionOptions options)
    {
        _definition = definition;
        _options = options;
        _time = options.Time;
        _recording = options.RecordHistory || options.OnEvent is not null;
        ExecutionInput = input;
        var executionName = options.ExecutionName ?? Guid.NewGuid().ToString();
        var stateMachineArn = options.StateMachineArn
            ?? $"arn:aws:states:{options.Region}:{options.AccountId}:stateMachine:{options.StateMachineName}";
        ExecutionArn = options.ExecutionArn
            ?? $"arn:aws:states:{options.Region}:{options.AccountId}:execution:{options.StateMachineName}:{executionName}";
        _executionContext = new JsonObject
        {
            ["Id"] = ExecutionArn,
            ["Input"] = input?.DeepClone(),
            ["StartTime"] = options.StartTimeText ?? FormatTime(_time.GetUtcNow()),
            ["Name"] = executionName,
            ["RoleArn"] = options.RoleArn ?? $"arn:aws:iam::{options.AccountId}:role/{options.StateMachineName}-role",
            ["RedriveCount"] = options.RedriveCount,
        };
        _stateMachineContext = new JsonObject { ["Id"] = stateMachineArn, ["Name"] = options.StateMachineName };
    }

    public JsonNode? ExecutionInput { get; }

    public string ExecutionArn { get; }

    public IReadOnlyList<HistoryEvent> History
    {
        get
        {
            lock (_gate)
            {
                return [.. _history];
            }
        }
    }

    public async Task<ExecutionResult> RunAsync()
    {
        var cursor = new EventCursor();
        Record(cursor, "ExecutionStarted", null, _recording
            ? new JsonObject
            {
                ["input"] = Json.Text(ExecutionInput),
                ["inputDetails"] = NotTruncated(),
                ["roleArn"] = _executionContext["RoleArn"]!.GetValue<string>(),
            }
            : null);

        using var timeoutCts = new CancellationTokenSource();
        VariableScope.Current = VariableScope.Root();
        var work = RunBlockAsync(_definition.Machine, ExecutionInput, cursor, _stop.Token);
        var waits = new List<Task> { work, _aborted.Task };
        Task? timeout = null;
        if (_definition.TimeoutSeconds is { } seconds)
        {
            timeout = LongDelay(TimeSpan.FromSeconds(seconds), _time, timeoutCts.Token);
            waits.Add(timeout);
        }

        var first = await Task.WhenAny(waits);

        // Cancel, not CancelAsync, throughout: callbacks must run on the execution's scheduler before a virtual
        // clock may move on, or a timer that is being cancelled could still fire.
        timeoutCts.Cancel();
        if (first == work)
        {
            try
            {
                var output = await work;
                return Finish(cursor, ExecutionStatus.Succeeded, output, null, null);
            }
            catch (AslFailure failure)
            {
                return Finish(cursor, ExecutionStatus.Failed, null, failure.Error, failure.Cause);
            }
            catch (OperationCanceledException) when (_aborted.Task.IsCompleted)
            {
                var (error, cause) = await _aborted.Task;
                return Finish(cursor, ExecutionStatus.Aborted, null, error, cause);
            }
        }

        _stop.Cancel();
        _ = work.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        if (first == timeout)
        {
            return Finish(cursor, ExecutionStatus.TimedOut, null, ErrorNames.Timeout, "The execution timed out.");
        }

        var (abortError, abortCause) = await _aborted.Task;
        return Finish(cursor, ExecutionStatus.Aborted, null, abortError, abortCause);
    }

    private ExecutionResult Finish(EventCursor cursor, ExecutionStatus status, JsonNode? output, string? error, string? cause)
    {
        if (_historyFull)
        {
            // The quota's failure may have surfaced as another error on its way up (a Parallel reports its first
            // branch failure); once the history is full, the execution fails for that reason alone.
            (status, output, error, cause) = (ExecutionStatus.Failed, null, ErrorNames.Runtime, HistoryQuotaCause);
        }

        var details = new JsonObject();
        string type;
        switch (status)
        {
            case ExecutionStatus.Succeeded:
                type = "ExecutionSucceeded";
                details["output"] = Json.Text(output);
                details["outputDetails"] = NotTruncated();
                break;
            default:
                type = status switch
                {
                    ExecutionStatus.Failed => "ExecutionFailed",
                    ExecutionStatus.TimedOut => "ExecutionTimedOut",
                    _ => "ExecutionAborted",
                };
                if (error is not null)
                {
                    details["error"] = error;
                }

                if (cause is not null)
                {
                    details["cause"] = cause;
                }

                break;
        }

        Record(cursor, type, null, details);
        lock (_gate)
        {
            _closed = true;
            foreach (var pending in _callbacks.Values)
            {
                pending.Result.TrySetCanceled();
            }

            _callbacks.Clear();
        }

        return new ExecutionResult(status, output, error, cause, History);
    }

    public void Stop(string? error, string? cause) => Dispatch(() =>
    {
        _aborted.TrySetResult((error, cause));
        _stop.Cancel();
    });

    /// <summary>
    /// Runs a host's action (SendTask*, Stop) where the execution runs: on a virtual clock's scheduler, so the
    /// engine reacts before the clock may move on; on other clocks on the thread pool, off the caller's thread.
    /// </summary>
    internal void Dispatch(Action action)
    {
        if (_time is VirtualClock clock)
        {
            clock.Post(action);
        }
        else
        {
            ThreadPool.QueueUserWorkItem(static a => ((Action)a!)(), action, preferLocal: false);
        }
    }

    /// <summary>
    /// Records an event; <paramref name="details"/> may be null when events are not built (callers skip serialising
    /// them then). Past Step
    /// Functions' history quota (STANDARD) any event but the execution's last throws the quota's States.Runtime failure,
    /// which no Retry or Catch handles, so the execution fails with event 25,000 as its ExecutionFailed.
    /// </summary>
    internal long Record(EventCursor cursor, string type, string? stateName, JsonObject? details)
    {
        HistoryEvent? e = null;
        long id;
        lock (_gate)
        {
            if (_closed)
            {
                return _lastEventId;
            }

            if (_options.Type == StateMachineType.Standard && _lastEventId + 1 >= HistoryQuota && !EndsExecution(type))
            {
                _historyFull = true;
                throw new AslFailure(ErrorNames.Runtime, HistoryQuotaCause, uncatchable: true);
            }

            id = ++_lastEventId;
            if (_recording)
            {
                e = new HistoryEvent(id, cursor.Last, _time.GetUtcNow(), type, stateName, details ?? []);
                if (_options.RecordHistory)
                {
                    _history.Add(e);
                }
            }

            cursor.Last = id;
            Advance(cursor.Joined, id);
        }

        if (e is not null)
        {
            _options.OnEvent?.Invoke(e);
        }

        return id;
    }

    /// <summary>Step Functions' hard quota on a STANDARD execution's history (see <see cref="ExecutionOptions.Type"/>).</summary>
    internal const int HistoryQuota = 25_000;

    // The cause AWS reports for it (error States.Runtime), as a failed execution's output shows it.
    internal const string HistoryQuotaCause = "The execution reached the maximum number of history events (25000).";

    private static bool EndsExecution(string type) =>
        type is "ExecutionSucceeded" or "ExecutionFailed" or "ExecutionTimedOut" or "ExecutionAborted";

    internal JsonObject BuildContext(StateContext state, JsonObject? map, string? taskToken) => BuildContext(state, map, taskToken, state.RetryCount);

    internal JsonObject BuildContext(StateContext state, JsonObject? map, string? taskToken, int retryCount)
    {
        var context = new JsonObject
        {
            ["Execution"] = _executionContext.DeepClone(),
            ["State"] = state.CanRetry
                ? new JsonObject { ["EnteredTime"] = FormatTime(state.EnteredTime), ["Name"] = state.Name, ["RetryCount"] = retryCount }
                : new JsonObject { ["EnteredTime"] = FormatTime(state.EnteredTime), ["Name"] = state.Name },
            ["StateMachine"] = _stateMachineContext.DeepClone(),
        };
        if (taskToken is not null)
        {
            context["Task"] = new JsonObject { ["Token"] = taskToken };
        }

        if (map is not null)
        {
            context["Map"] = map;
        }

        return context;
    }

    private async Task<JsonNode?> RunBlockAsync(StatesBlock block, JsonNode? input, EventCursor cursor, CancellationToken ct)
    {
        var state = block.States[block.StartAt];
        var data = input;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var (output, next) = await RunStateAsync(state, data, cursor, ct);
            if (next is null)
            {
                return output;
            }

            data = output;
            state = block.States[next];
        }
    }

    private async ValueTask<(JsonNode? Output, string? Next)> RunStateCoreAsync(AslState state, JsonNode? input, EventCursor cursor, CancellationToken ct)
    {
        var enteredTime = _time.GetUtcNow();
        var entered = Record(cursor, state.EnteredEvent, state.Name, _recording
            ? new JsonObject
            {
                ["name"] = state.Name,
                ["input"] = Json.Text(input),
                ["inputDetails"] = NotTruncated(),
            }
            : null);
        var sc = new StateContext(this, state.Name, entered, enteredTime, state.Type is "Task" or "Parallel" or "Map");
        switch (state.Type)
        {
            case "Pass" when state.Jsonata:
            {
                var output = JsonataOutput(state.Output, state.Assign, States(input, sc.Context), input, sc);
                CheckSize(output, state.Name);
                return Exit(state, cursor, output, state.Next, sc);
            }

            case "Succeed" when state.Jsonata:
                return Exit(state, cursor, JsonataOutput(state.Output, null, States(input, sc.Context), input, sc), null, sc);

            case "Choice" when state.Jsonata:
                return JsonataChoice(state, input, cursor, sc);

            case "Pass":
            {
                var effective = ApplyInputPath(state, input, sc);
                var result = state.HasResult ? state.Result?.DeepClone()
                    : state.HasParameters ? Template(state.Parameters, effective, sc.Context, sc) : effective;
                CheckSize(result, state.Name);
                return Exit(state, cursor, ApplyOutput(state, input, result, sc), state.Next, sc);
            }

            case "Succeed":
                return Exit(state, cursor, ApplyOutputPath(state, ApplyInputPath(state, input, sc), sc), null, sc);

            case "Fail":
                throw Fail(state, input, sc);

            case "Choice":
            {
                var effective = ApplyInputPath(state, input, sc);
                string? next = null;
                foreach (var rule in state.Choices)
                {
                    if (ChoiceEvaluator.Evaluate(rule, effective, sc.Context, sc.Runtime))
                    {
                        next = rule.Next;
                        PrepareAssign(rule.Assign, effective, sc);
                        break;
                    }
                }

                if (next is null)
                {
                    // The state's own Assign goes with its Default; a matching rule assigns with its own.
                    next = state.Default ?? throw new AslFailure(
                        ErrorNames.NoChoiceMatched,
                        $"No Matches! Choice state '{state.Name}' did not match any rule for input '{Json.Text(effective)}'.");
                    PrepareAssign(state.Assign, effective, sc);
                }

                return Exit(state, cursor, ApplyOutputPath(state, effective, sc), next, sc);
            }

            case "Wait":
            {
                var effective = ApplyInputPath(state, input, sc);
                var delay = WaitDelay(state, effective, sc);
                await PauseAsync(delay, ct);
                if (state.Jsonata)
                {
                    return Exit(state, cursor, JsonataOutput(state.Output, state.Assign, States(input, sc.Context), input, sc), state.Next, sc);
                }

                PrepareAssign(state.Assign, effective, sc);
                return Exit(state, cursor, ApplyOutputPath(state, effective, sc), state.Next, sc);
            }

            default:
                return await RunWithErrorHandlingAsync(state, input, cursor, sc, ct);
        }
    }

    /// <summary>A Wait state's or a retry's delay, cut short once the host asks the execution to hurry.</summary>
    private async Task PauseAsync(TimeSpan delay, CancellationToken ct)
    {
        var hurry = _options.Hurry;
        if (delay <= TimeSpan.Zero || hurry.IsCancellationRequested)
        {
            return;
        }

        if (!hurry.CanBeCanceled)
        {
            await LongDelay(delay, _time, ct);
            return;
        }

        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, hurry);
        try
        {
            await LongDelay(delay, _time, either.Token);
        }
        catch (OperationCanceledException) when (hurry.IsCancellationRequested && !ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Task.Delay refuses anything over about 49.7 days (uint.MaxValue - 1 ms); Step Functions allows Waits of up to
    /// 99999999 s, task timeouts and heartbeats of up to int.MaxValue s and retry back-offs that grow without bound, so
    /// on a real clock longer delays are waited in pieces, and a virtual clock takes any delay as one timer.
    /// </summary>
    internal static Task LongDelay(TimeSpan delay, TimeProvider time, CancellationToken ct) =>
        time is VirtualClock clock ? clock.Delay(delay, ct) : PiecewiseDelay(delay, time, ct);

    private static async Task PiecewiseDelay(TimeSpan delay, TimeProvider time, CancellationToken ct)
    {
        var longest = TimeSpan.FromMilliseconds(uint.MaxValue - 1);
        while (delay > longest)
        {
            await Task.Delay(longest, time, ct);
            delay -= longest;
        }

        await Task.Delay(delay, time, ct);
    }

    private async ValueTask<(JsonNode? Output, string? Next)> RunWithErrorHandlingAsync(
        AslState state, JsonNode? input, EventCursor cursor, StateContext sc, CancellationToken ct)
    {
        var attempts = new int[state.Retry.Count];
        while (true)
        {
            try
            {
                var output = state.Type switch
                {
                    "Task" => await RunTaskAsync(state, input, cursor, sc, ct),
                    "Parallel" => await RunParallelAsync(state, input, cursor, sc, ct),
                    _ => await RunMapAsync(state, input, cursor, sc, ct),
                };
                return Exit(state, cursor, output, state.Next, sc);
            }
            catch (AslFailure failure) when (!failure.Uncatchable && !ct.IsCancellationRequested)
            {
                RecordEvaluationFailed(failure, cursor);
                var retrier = -1;
                for (var i = 0; i < state.Retry.Count; i++)
                {
                    if (ErrorNames.Matches(state.Retry[i].ErrorEquals, failure.Error))
                    {
                        retrier = i;
                        break;
                    }
                }

                if (retrier >= 0 && attempts[retrier] < state.Retry[retrier].MaxAttempts)
                {
                    var delay = RetryDelay(state.Retry[retrier], attempts[retrier]);
                    attempts[retrier]++;
                    sc.RetryCount++;
                    await PauseAsync(delay, ct);
                    continue;
                }

                // A retried Parallel/Map starts again silently; only the attempt that gives up is reported failed.
                if (state.Type is "Parallel" or "Map")
                {
                    Record(cursor, state.Type + "StateFailed", null, null);
                }

                foreach (var catcher in state.Catch)
                {
                    if (!ErrorNames.Matches(catcher.ErrorEquals, failure.Error))
                    {
                        continue;
                    }

                    // A timeout has no cause at the execution level but an empty one in a Catch output, as in Step Functions.
                    var errorOutput = new JsonObject
                    {
                        ["Error"] = failure.Error,
                        ["Cause"] = failure.Cause ?? (failure.Error is ErrorNames.Timeout or ErrorNames.HeartbeatTimeout ? "" : null),
                    };
                    JsonNode? output;
                    if (state.Jsonata)
                    {
                        output = JsonataOutput(catcher.Output, catcher.Assign, States(input, sc.Context, errorOutput: errorOutput), errorOutput, sc);
                        return Exit(state, cursor, output, catcher.Next, sc);
                    }

                    try
                    {
                        output = catcher.ResultPath is null ? input : AslPaths.Set(input, catcher.ResultPath, errorOutput);
                    }
                    catch (JsonPathException e)
                    {
                        throw sc.Runtime(e.Message);
                    }

                    PrepareAssign(catcher.Assign, errorOutput, sc);
                    return Exit(state, cursor, output, catcher.Next, sc);
                }

                throw;
            }
        }
    }

    private static TimeSpan RetryDelay(Retrier retrier, int attempt)
    {
        var seconds = retrier.IntervalSeconds * Math.Pow(retrier.BackoffRate, attempt);
        if (retrier.MaxDelaySeconds is { } max && seconds > max)
        {
            seconds = max;
        }

        if (retrier.FullJitter)
        {
#pragma warning disable CA5394 // Jitter spreads retries; it is not a security boundary.
            seconds *= Random.Shared.NextDouble();
#pragma warning restore CA5394
        }

        return TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.MaxValue.TotalSeconds / 2));
    }

    private (JsonNode? Output, string? Next) Exit(AslState state, EventCursor cursor, JsonNode? output, string? next, StateContext sc)
    {
        // Every state's output, not only a task's result: a Parallel's or Map's array, a ResultSelector, a Pass's merge.
        CheckSize(output, state.Name);
        var details = _recording
            ? new JsonObject
            {
                ["name"] = state.Name,
                ["output"] = Json.Text(output),
                ["outputDetails"] = NotTruncated(),
            }
            : null;
        if (sc.PendingAssign is { } assigned)
        {
            // Variables change only as the state exits: everything the state evaluated saw the values from before it.
            sc.PendingAssign = null;
            VariableScope.Current!.Assign(assigned, state.Name);
            if (details is not null)
            {
                var recorded = new JsonObject();
                foreach (var (name, value) in assigned)
                {
                    recorded[name] = Json.Text(value);
                }

                details["assignedVariables"] = recorded;
                details["assignedVariablesDetails"] = NotTruncated();
            }
        }

        Record(cursor, state.ExitedEvent, state.Name, details);
        return (output, next);
    }

    /// <summary>
    /// Evaluates a JSONPath Assign with <c>$</c> = <paramref name="value"/> (the state's result after ResultSelector, a
    /// Choice's or Wait's input, a Catch's error output); <see cref="Exit"/> stores it.
    /// </summary>
    private static void PrepareAssign(JsonNode? assign, JsonNode? value, StateContext sc)
    {
        if (assign is null)
        {
            sc.PendingAssign = null;
            return;
        }

        var evaluated = (JsonObject)Template(assign, value, sc.Context, sc)!;
        var values = evaluated.ToList();
        evaluated.Clear();
        sc.PendingAssign = values;
    }

    private static AslFailure Fail(AslState state, JsonNode? input, StateContext sc)
    {
        if (state.Jsonata)
        {
            var states = States(input, sc.Context);
            return new AslFailure(JsonataString(state, "Error", states, sc), JsonataString(state, "Cause", states, sc));
        }

        var error = state.ErrorPath is { } errorPath ? FailField(errorPath, "ErrorPath", input, sc) : state.Error;
        var cause = state.CausePath is { } causePath ? FailField(causePath, "CausePath", input, sc) : state.Cause;
        return new AslFailure(error, cause);
    }

    private static string FailField(string expression, string field, JsonNode? input, StateContext sc)
    {
        JsonNode? value;
        if (IntrinsicFunctions.IsIntrinsic(expression))
        {
            value = Intrinsic(expression, input, sc.Context, sc);
        }
        else if (!AslPaths.TrySelect(expression, input, sc.Context, out value))
        {
            throw sc.Runtime($"The JSONPath '{expression}' specified for the field '{field}' could not be found in the input '{Json.Text(input)}'");
        }

        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            return v.GetValue<string>();
        }

        throw sc.Runtime($"The {field} field resolved to a non-string value '{Json.Text(value)}'");
    }

    private TimeSpan WaitDelay(AslState state, JsonNode? input, StateContext sc)
    {
        if (state.Jsonata && state.Seconds is null && state.Timestamp is null)
        {
            var states = States(input, sc.Context);
            if (state.Raw.ContainsKey("Seconds"))
            {
                var wait = JsonataNumber(state, "Seconds", states, sc)!.Value;
                return wait >= 0 && wait == Math.Floor(wait) ? TimeSpan.FromSeconds(wait)
                    : throw QueryError(sc, $"The Seconds field must be a non-negative integer, not {Json.Text(JsonValue.Create(wait))}");
            }

            var stamp = JsonataTemplate(state.Raw["Timestamp"], "Timestamp", states, sc);
            if (stamp is not JsonValue sv || sv.GetValueKind() != JsonValueKind.String || !AslTimestamp.TryParse(sv.GetValue<string>(), out var when))
            {
                throw QueryError(sc, $"The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {Raw(stamp)}");
            }

            return when - _time.GetUtcNow();
        }

        if (state.Seconds is { } seconds)
        {
            return TimeSpan.FromSeconds(seconds.GetValue<double>());
        }

        if (state.SecondsPath is { } secondsPath)
        {
            if (!AslPaths.TrySelect(secondsPath, input, sc.Context, out var value))
            {
                throw sc.Runtime($"The SecondsPath parameter does not reference an input value: {secondsPath}");
            }

            if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<decimal>(out var d)
                && d == decimal.Floor(d))
            {
                return d switch
                {
                    < 0 => throw sc.Runtime($"The SecondsPath parameter references a negative value: {secondsPath} == {Json.Text(value)}"),
                    > MaxWaitSeconds => throw sc.Runtime($"The SecondsPath parameter references a value above {MaxWaitSeconds}, the longest Wait: {secondsPath} == {Json.Text(value)}"),
                    _ => TimeSpan.FromSeconds((double)d),
                };
            }

            throw sc.Runtime($"The SecondsPath parameter cannot be parsed as a long value: {secondsPath} == {Json.Text(value)}");
        }

        string text;
        if (state.TimestampPath is { } timestampPath)
        {
            if (!AslPaths.TrySelect(timestampPath, input, sc.Context, out var value))
            {
                throw sc.Runtime($"The TimestampPath parameter does not reference an input value: {timestampPath}");
            }

            if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String || !AslTimestamp.TryParse(v.GetValue<string>(), out _))
            {
                throw sc.Runtime($"The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {timestampPath} == {Raw(value)}");
            }

            text = v.GetValue<string>();
        }
        else
        {
            text = state.Timestamp!;
        }

        if (!AslTimestamp.TryParse(text, out var at))
        {
            throw sc.Runtime($"The Timestamp '{text}' is not a valid ISO-8601 extended offset date-time.");
        }

        var delay = at - _time.GetUtcNow();
        if (delay > TimeSpan.FromDays(24855))
        {
            throw sc.Runtime("Wait state delay is too long.");
        }

        return delay;
    }

    private static JsonNode? ApplyInputPath(AslState state, JsonNode? input, StateContext sc) =>
        SelectPath(state.InputPath, input, sc);

    private static JsonNode? ApplyOutputPath(AslState state, JsonNode? output, StateContext sc) =>
        SelectPath(state.OutputPath, output, sc);

    private static JsonNode? SelectPath(string? path, JsonNode? value, StateContext sc)
    {
        if (path is null)
        {
            return new JsonObject();
        }

        if (path == "$")
        {
            return value;
        }

        try
        {
            return AslPaths.Select(path, value, sc.Context);
        }
        catch (JsonPathException e)
        {
            throw sc.Runtime(e.Message);
        }
    }

    /// <summary>ResultSelector, ResultPath and OutputPath applied to a state's result (JSONata: Output and Assign).</summary>
    private static JsonNode? ApplyOutput(AslState state, JsonNode? rawInput, JsonNode? result, StateContext sc)
    {
        if (state.Jsonata)
        {
            return JsonataOutput(state.Output, state.Assign, States(rawInput, sc.Context, result, hasResult: true), result, sc);
        }

        if (state.ResultSelector is { } selector)
        {
            result = Template(selector, result, sc.Context, sc);
        }

        PrepareAssign(state.Assign, result, sc);

        JsonNode? combined;
        if (state.ResultPath is null)
        {
            combined = rawInput;
        }
        else
        {
            try
            {
                combined = AslPaths.Set(rawInput, state.ResultPath, result);
            }
            catch (JsonPathException e)
            {
                throw sc.Runtime(e.Message);
            }
        }

        return ApplyOutputPath(state, combined, sc);
    }

    private static JsonNode? Template(JsonNode? template, JsonNode? input, Func<JsonNode> context, StateContext sc) =>
        PayloadTemplate.Evaluate(template, input, context, sc.Runtime);

    private static JsonNode? Intrinsic(string expression, JsonNode? input, Func<JsonNode> context, StateContext sc)
    {
        try
        {
            return AslPaths.Intrinsic(expression, input, context);
        }
        catch (Exception e) when (e is IntrinsicFunctionException or JsonPathException)
        {
            throw sc.Runtime(e.Message);
        }
    }

    // AWS quotes neither strings nor other values in these messages: the text as written.
    internal static string Raw(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : Json.Text(value);

    internal static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Step Functions' 256 KiB limit on a state's result.</summary>
    internal static void CheckSize(JsonNode? result, string stateOrTask)
    {
        if (JsonSize.Exceeds(result, MaxPayloadBytes))
        {
            throw new AslFailure(
                ErrorNames.DataLimitExceeded,
                $"The state/task '{stateOrTask}' returned a result with a size exceeding the maximum number of bytes service limit.");
        }
    }

    private const int MaxPayloadBytes = 256 * 1024;

    /// <summary>The longest Wait Seconds Step Functions accepts (about 3.2 years).</summary>
    internal const int MaxWaitSeconds = 99999999;

    private static JsonObject NotTruncated() => new() { ["truncated"] = false };

    internal sealed class EventCursor
    {
        public long Last { get; set; }

        /// <summary>
        /// A branch's or iteration's cursor: the Parallel's or Map's join point, which follows the latest event any of
        /// its branches recorded (moved under the interpreter's lock, as <see cref="Last"/> is).
        /// </summary>
        public EventCursor? Joined { get; init; }
    }

    /// <summary>
    /// After its branches or iterations, a Parallel's or Map's next event follows the last event any of them recorded
    /// (event ids only grow), as in AWS's histories, not the Started event they all began from.
    /// </summary>
    private void Rejoin(EventCursor cursor, EventCursor joined)
    {
        lock (_gate)
        {
            if (joined.Last > cursor.Last)
            {
                cursor.Last = joined.Last;
                Advance(cursor.Joined, joined.Last);
            }
        }
    }

    private static void Advance(EventCursor? joined, long id)
    {
        for (; joined is not null && id > joined.Last; joined = joined.Joined)
        {
            joined.Last = id;
        }
    }
}
