using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Asl.Model;

namespace Phoenix.Asl;

internal sealed partial class Interpreter
{
    private const string WaitForTaskToken = ".waitForTaskToken";

    private async Task<JsonNode?> RunTaskAsync(AslState state, JsonNode? rawInput, EventCursor cursor, StateContext sc, CancellationToken ct)
    {
        var resource = state.Resource!;
        string? token = null;
        PendingCallback? pending = null;
        if (resource.EndsWith(WaitForTaskToken, StringComparison.Ordinal))
        {
            // The token exists before Parameters are evaluated: they pass it on through $$.Task.Token.
            token = NewTaskToken();
            pending = new PendingCallback();
            lock (_gate)
            {
                _callbacks[token] = pending;
            }
        }

        try
        {
            var contextObject = token is null ? sc.Context : sc.ContextWith(null, token);
            var effective = ApplyInputPath(state, rawInput, sc);
            var parameters = state.Jsonata ? JsonataArguments(state, rawInput, contextObject, sc)
                : state.HasParameters ? Template(state.Parameters, effective, contextObject, sc) : effective;
            var timeout = Seconds(state.TimeoutSeconds, state.TimeoutSecondsPath, "TimeoutSecondsPath", effective, sc)
                ?? JsonataSeconds(state, "TimeoutSeconds", rawInput, sc);
            var heartbeat = Seconds(state.HeartbeatSeconds, state.HeartbeatSecondsPath, "HeartbeatSecondsPath", effective, sc)
                ?? JsonataSeconds(state, "HeartbeatSeconds", rawInput, sc);
            var call = TaskCall.For(resource, parameters, _options.Region, _options.AccountId);
            var handler = _options.Tasks.Resolve(call.Target);
            var roleArn = state.Credentials is null ? null : RoleArn(state, rawInput, effective, contextObject, sc);
            RecordScheduled(call, state, cursor, parameters, timeout, heartbeat, roleArn);
            var retryCount = sc.RetryCount;
            var request = new TaskRequest(resource, state.Name, call.RequestInput, () => BuildContext(sc, null, token, retryCount), token);
            JsonNode? result;
            // An attempt needs its own token only to stop its timers and its callback wait; most tasks have neither.
            using (var attempt = timeout is not null || pending is not null ? CancellationTokenSource.CreateLinkedTokenSource(ct) : null)
            {
                var attemptToken = attempt?.Token ?? ct;
                var deadline = timeout is { } t ? LongDelay(TimeSpan.FromSeconds(t), _time, attemptToken) : null;
                try
                {
                    RecordStarted(call, cursor);
                    var invocation = InvokeAsync(handler, call, request, attemptToken);
                    result = await WithDeadline(invocation, deadline);
                    CheckSize(result, call.IsFunction ? resource : state.Name);
                    var ids = call.IsInvoke ? InvocationIds(state.Name, cursor.Last) : null;
                    if (pending is not null)
                    {
                        Record(cursor, "TaskSubmitted", null, _recording
                            ? new JsonObject
                            {
                                ["resourceType"] = call.ResourceType,
                                ["resource"] = call.ResourceName,
                                ["output"] = Json.Text(call.Wrap(result, parameters, ids)),
                                ["outputDetails"] = NotTruncated(),
                            }
                            : null);
                        result = await WaitForCallbackAsync(pending, deadline, heartbeat, attemptToken);
                    }
                    else
                    {
                        result = call.Wrap(result, parameters, ids);
                    }
                }
                catch (TimeoutException timedOut)
                {
                    ct.ThrowIfCancellationRequested();
                    var error = timedOut.Message;
                    RecordOutcome(call, cursor, call.IsFunction ? "LambdaFunctionTimedOut" : "TaskTimedOut", error, null);
                    throw new AslFailure(error, null);
                }
                catch (AslFailure failure) when (!failure.Uncatchable)
                {
                    ct.ThrowIfCancellationRequested();
                    RecordOutcome(call, cursor, call.IsFunction ? "LambdaFunctionFailed" : "TaskFailed", failure.Error, failure.Cause);
                    throw;
                }
                finally
                {
                    attempt?.Cancel();
                }
            }

            Record(cursor, call.IsFunction ? "LambdaFunctionSucceeded" : "TaskSucceeded", null, !_recording ? null : call.IsFunction
                ? new JsonObject { ["output"] = Json.Text(result), ["outputDetails"] = NotTruncated() }
                : new JsonObject
                {
                    ["resourceType"] = call.ResourceType,
                    ["resource"] = call.ResourceName,
                    ["output"] = Json.Text(result),
                    ["outputDetails"] = NotTruncated(),
                });
            return ApplyOutput(state, rawInput, result, sc);
        }
        finally
        {
            if (token is not null)
            {
                lock (_gate)
                {
                    _callbacks.Remove(token);
                }
            }
        }
    }

    private static int? Seconds(int? literal, string? path, string field, JsonNode? input, StateContext sc)
    {
        if (path is null)
        {
            return literal;
        }

        if (!AslPaths.TrySelect(path, input, sc.Context, out var value))
        {
            throw sc.Runtime($"Invalid path '{path}' : No results for path: {path}");
        }

        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d)
            && d >= 1 && d <= int.MaxValue && d == Math.Floor(d))
        {
            return (int)d;
        }

        throw sc.Runtime($"The {field} field refers to value {Json.Text(value)} which is not a valid positive integer: {path}");
    }

    private static async Task<JsonNode?> WithDeadline(Task<JsonNode?> work, Task? deadline)
    {
        if (deadline is not null && await Task.WhenAny(work, deadline) == deadline && !work.IsCompleted)
        {
            _ = work.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw new TimeoutException(ErrorNames.Timeout);
        }

        return await work;
    }

    private static async Task<JsonNode?> InvokeAsync(TaskHandler? handler, TaskCall call, TaskRequest request, CancellationToken ct)
    {
        if (handler is null)
        {
            throw call.NotFound();
        }

        try
        {
            return await handler(request, ct);
        }
        catch (TaskFailedException e)
        {
            throw new AslFailure(e.Error, e.Cause);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is not AslFailure)
        {
            throw new AslFailure(e.GetType().Name, e.Message);
        }
    }

    private async Task<JsonNode?> WaitForCallbackAsync(PendingCallback pending, Task? deadline, int? heartbeatSeconds, CancellationToken ct)
    {
        while (true)
        {
            using var beat = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var heartbeatTimer = heartbeatSeconds is { } h ? LongDelay(TimeSpan.FromSeconds(h), _time, beat.Token) : null;
            var heartbeatSignal = pending.NextHeartbeat;
            var waits = new List<Task> { pending.Result.Task, heartbeatSignal };
            if (deadline is not null)
            {
                waits.Add(deadline);
            }

            if (heartbeatTimer is not null)
            {
                waits.Add(heartbeatTimer);
            }

            var first = await Task.WhenAny(waits);
            beat.Cancel();
            if (first == pending.Result.Task)
            {
                return await pending.Result.Task;
            }

            ct.ThrowIfCancellationRequested();
            if (first == deadline)
            {
                throw new TimeoutException(ErrorNames.Timeout);
            }

            if (first == heartbeatTimer)
            {
                throw new TimeoutException(ErrorNames.HeartbeatTimeout);
            }
        }
    }

    public void CompleteCallback(string token, Action<PendingCallback> complete)
    {
        ArgumentNullException.ThrowIfNull(token);
        PendingCallback? pending;
        lock (_gate)
        {
            _callbacks.TryGetValue(token, out pending);
        }

        if (pending is null)
        {
            throw new ArgumentException($"Task token '{token}' is not awaited by this execution (unknown, already completed or timed out).", nameof(token));
        }

        Dispatch(() => complete(pending));
    }

    /// <summary>
    /// The request id, trace id and date of a <c>lambda:invoke</c> response. On a virtual clock they derive from the
    /// state, the event and the virtual time, so a run repeats byte for byte; on a real clock they are fresh, as Lambda's are.
    /// </summary>
    private InvocationIdentity InvocationIds(string stateName, long eventId)
    {
        var now = _time.GetUtcNow();
        if (_time is not VirtualClock)
        {
            return new InvocationIdentity(Guid.NewGuid().ToString(), TraceId(now, Guid.NewGuid().ToByteArray()), now);
        }

        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{stateName}\n{eventId}\n{now.UtcTicks}")));
        var guid = hash[..16];
        guid[7] = (byte)((guid[7] & 0x0F) | 0x50); // name-based (version 5) and RFC 4122 variant bits, as Guid.ToString reads them
        guid[8] = (byte)((guid[8] & 0x3F) | 0x80);
        return new InvocationIdentity(new Guid(guid).ToString(), TraceId(now, hash[16..]), now);
    }

    // X-Ray's format: Root=1-<8 hex digits of epoch seconds>-<24 hex digits>.
    private static string TraceId(DateTimeOffset now, byte[] random) =>
        $"Root=1-{now.ToUnixTimeSeconds():x8}-{Convert.ToHexStringLower(random, 0, 12)}";

    private static string NewTaskToken() => Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=') + Guid.NewGuid().ToString("N");

    /// <summary>The role of the task's Credentials, checked to be an IAM role ARN once paths or JSONata are resolved.</summary>
    private static JsonNode? RoleArnSource(AslState state, JsonNode? rawInput, JsonNode? effective, Func<JsonNode> context, StateContext sc) =>
        state.Jsonata
            ? JsonataTemplate(state.Credentials, "Credentials", States(rawInput, context), sc)
            : Template(state.Credentials, effective, context, sc);

    private static string RoleArn(AslState state, JsonNode? rawInput, JsonNode? effective, Func<JsonNode> context, StateContext sc)
    {
        var value = RoleArnSource(state, rawInput, effective, context, sc)?["RoleArn"];
        return value is JsonValue v && v.TryGetValue<string>(out var arn) && Model.DefinitionParser.IsRoleArn(arn)
            ? arn
            : throw sc.Runtime($"The Credentials field's RoleArn resolved to {Json.Text(value)}, which is not an IAM role ARN (arn:aws:iam::<account>:role/<name>).");
    }

    private void RecordScheduled(TaskCall call, AslState state, EventCursor cursor, JsonNode? parameters, int? timeout, int? heartbeat, string? roleArn)
    {
        if (!_recording)
        {
            Record(cursor, call.IsFunction ? "LambdaFunctionScheduled" : "TaskScheduled", null, null);
            return;
        }

        JsonObject details;
        if (call.IsFunction)
        {
            details = new JsonObject
            {
                ["resource"] = state.Resource,
                ["input"] = Json.Text(parameters),
                ["inputDetails"] = NotTruncated(),
            };
            if (timeout is { } t)
            {
                details["timeoutInSeconds"] = t;
            }

            if (roleArn is not null)
            {
                details["taskCredentials"] = new JsonObject { ["roleArn"] = roleArn };
            }

            Record(cursor, "LambdaFunctionScheduled", null, details);
            return;
        }

        details = new JsonObject
        {
            ["resourceType"] = call.ResourceType,
            ["resource"] = call.ResourceName,
            ["region"] = _options.Region,
            ["parameters"] = Json.Text(parameters),
        };
        if (timeout is { } seconds)
        {
            details["timeoutInSeconds"] = seconds;
        }

        if (heartbeat is { } beat)
        {
            details["heartbeatInSeconds"] = beat;
        }

        if (roleArn is not null)
        {
            details["taskCredentials"] = new JsonObject { ["roleArn"] = roleArn };
        }

        Record(cursor, "TaskScheduled", null, details);
    }

    private void RecordStarted(TaskCall call, EventCursor cursor) =>
        Record(cursor, call.IsFunction ? "LambdaFunctionStarted" : "TaskStarted", null, call.IsFunction || !_recording
            ? null
            : new JsonObject { ["resourceType"] = call.ResourceType, ["resource"] = call.ResourceName });

    private void RecordOutcome(TaskCall call, EventCursor cursor, string type, string? error, string? cause)
    {
        var details = call.IsFunction ? [] : new JsonObject { ["resourceType"] = call.ResourceType, ["resource"] = call.ResourceName };
        if (error is not null)
        {
            details["error"] = error;
        }

        if (cause is not null)
        {
            details["cause"] = cause;
        }

        Record(cursor, type, null, details);
    }
}

/// <summary>A <c>.waitForTaskToken</c> task waiting for the host's SendTask* call.</summary>
internal sealed class PendingCallback
{
    // Both are completed through Interpreter.Dispatch, on the execution's scheduler.
    private TaskCompletionSource _heartbeat = new();

    public TaskCompletionSource<JsonNode?> Result { get; } = new();

    public Task NextHeartbeat
    {
        get
        {
            lock (Result)
            {
                return _heartbeat.Task;
            }
        }
    }

    public void Heartbeat()
    {
        TaskCompletionSource previous;
        lock (Result)
        {
            previous = _heartbeat;
            _heartbeat = new TaskCompletionSource();
        }

        previous.TrySetResult();
    }
}

/// <summary>How a Task state's Resource is invoked and how Step Functions reports it.</summary>
internal sealed record TaskCall(
    string Target,
    JsonNode? RequestInput,
    bool IsFunction,
    bool IsInvoke,
    bool WaitForToken,
    string ResourceType,
    string ResourceName,
    string Region,
    string Account)
{
    public static TaskCall For(string resource, JsonNode? parameters, string region, string account)
    {
        if (resource.StartsWith("arn:aws:states:::", StringComparison.Ordinal))
        {
            var service = resource["arn:aws:states:::".Length..];
            var colon = service.IndexOf(':', StringComparison.Ordinal);
            var type = colon < 0 ? service : service[..colon];
            var name = colon < 0 ? service : service[(colon + 1)..];
            var wait = resource.EndsWith(".waitForTaskToken", StringComparison.Ordinal);
            var isInvoke = resource.StartsWith("arn:aws:states:::lambda:invoke", StringComparison.Ordinal);
            if (isInvoke)
            {
                var function = parameters is JsonObject p && p["FunctionName"] is JsonValue f && f.TryGetValue<string>(out var fn) ? fn : "";
                var payload = parameters is JsonObject q ? q["Payload"]?.DeepClone() : null;
                return new TaskCall(function, payload, false, true, wait, type, name, region, account);
            }

            return new TaskCall(resource, parameters, false, false, wait, type, name, region, account);
        }

        var isFunction = resource.StartsWith("arn:aws:lambda:", StringComparison.Ordinal);
        return new TaskCall(resource, parameters, isFunction, false, false, isFunction ? "lambda" : "task", resource, region, account);
    }

    /// <summary><c>lambda:invoke</c> returns Lambda's Invoke response, with the function's result as Payload.</summary>
    public JsonNode? Wrap(JsonNode? result, JsonNode? parameters, InvocationIdentity? ids)
    {
        if (!IsInvoke || ids is null)
        {
            return result;
        }

        var requestId = ids.RequestId;
        var now = ids.Date.ToString("r", System.Globalization.CultureInfo.InvariantCulture);
        var traceId = ids.TraceId;
        var length = System.Text.Encoding.UTF8.GetByteCount(Json.Text(result)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var all = new JsonObject
        {
            ["X-Amz-Executed-Version"] = new JsonArray("$LATEST"),
            ["x-amzn-Remapped-Content-Length"] = new JsonArray("0"),
            ["Connection"] = new JsonArray("keep-alive"),
            ["x-amzn-RequestId"] = new JsonArray(requestId),
            ["Content-Length"] = new JsonArray(length),
            ["Date"] = new JsonArray(now),
            ["X-Amzn-Trace-Id"] = new JsonArray(traceId),
            ["Content-Type"] = new JsonArray("application/json"),
        };
        var headers = new JsonObject
        {
            ["Connection"] = "keep-alive",
            ["Content-Length"] = length,
            ["Content-Type"] = "application/json",
            ["Date"] = now,
            ["X-Amz-Executed-Version"] = "$LATEST",
            ["x-amzn-Remapped-Content-Length"] = "0",
            ["x-amzn-RequestId"] = requestId,
            ["X-Amzn-Trace-Id"] = traceId,
        };
        var envelope = new JsonObject { ["ExecutedVersion"] = "$LATEST" };

        // LogType "Tail" asks Lambda for the last 4 KB of the log; an in-process function writes none.
        if (parameters is JsonObject p && p["LogType"] is JsonValue logType && logType.TryGetValue<string>(out var type) && type == "Tail")
        {
            envelope["LogResult"] = "";
            all["X-Amz-Log-Result"] = new JsonArray("");
            headers["X-Amz-Log-Result"] = "";
        }

        envelope["Payload"] = result is not null && result.Parent is not null ? result.DeepClone() : result;
        envelope["SdkHttpMetadata"] = new JsonObject { ["AllHttpHeaders"] = all, ["HttpHeaders"] = headers, ["HttpStatusCode"] = 200 };
        envelope["SdkResponseMetadata"] = new JsonObject { ["RequestId"] = requestId };
        envelope["StatusCode"] = 200;
        return envelope;
    }

    public AslFailure NotFound()
    {
        if (IsInvoke || IsFunction)
        {
            var arn = Target.StartsWith("arn:", StringComparison.Ordinal)
                ? Target
                : $"arn:aws:lambda:{Region}:{Account}:function:{Target}";
            return new AslFailure(
                "Lambda.ResourceNotFoundException",
                $"Function not found: {arn}:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: {Guid.NewGuid()}; Proxy: null)");
        }

        return new AslFailure(ErrorNames.Runtime, $"No handler is registered for the Task resource '{Target}'.", uncatchable: true);
    }
}

/// <summary>What identifies one Lambda invocation in its Invoke response.</summary>
internal sealed record InvocationIdentity(string RequestId, string TraceId, DateTimeOffset Date);
