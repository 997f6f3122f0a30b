using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Asl.Model;
using Phoenix.Asl.Paths;

namespace Phoenix.Asl;

internal sealed partial class Interpreter
{
    private async Task<JsonNode?> RunParallelAsync(AslState state, JsonNode? rawInput, EventCursor cursor, StateContext sc, CancellationToken ct)
    {
        var effective = ApplyInputPath(state, rawInput, sc);
        var input = state.Jsonata ? JsonataArguments(state, rawInput, sc.Context, sc)
            : state.HasParameters ? Template(state.Parameters, effective, sc.Context, sc) : effective;
        Record(cursor, "ParallelStateStarted", null, null);
        var outer = VariableScope.Current!;
        var results = new JsonNode?[state.Branches.Count];
        var joined = new EventCursor { Last = cursor.Last };
        var failure = await RunConcurrentlyAsync(
            state.Branches.Count,
            0,
            async (i, token) =>
            {
                var branchCursor = new EventCursor { Last = cursor.Last, Joined = joined };
                var scope = VariableScope.Current = outer.Child();
                try
                {
                    results[i] = Detach(await RunBlockAsync(state.Branches[i], input?.DeepClone(), branchCursor, token));
                }
                finally
                {
                    scope.Release();
                }

                return true;
            },
            ct);
        Rejoin(cursor, joined);
        if (failure is not null)
        {
            throw failure;
        }

        // The recorded AWS histories have no ParallelStateSucceeded: the branches' events lead to ParallelStateExited.
        return ApplyOutput(state, rawInput, new JsonArray(results), sc);
    }

    private async Task<JsonNode?> RunMapAsync(AslState state, JsonNode? rawInput, EventCursor cursor, StateContext sc, CancellationToken ct)
    {
        var effective = ApplyInputPath(state, rawInput, sc);
        JsonNode? itemsNode;
        try
        {
            itemsNode = state.Jsonata ? JsonataItems(state, rawInput, sc) : AslPaths.Select(state.ItemsPath, effective, sc.Context);
        }
        catch (JsonPathException e)
        {
            throw sc.Runtime(e.Message);
        }

        if (itemsNode is not JsonArray items)
        {
            throw sc.Runtime($"Invalid path '{state.ItemsPath}' : The ItemsPath field must reference a JSON array, not {Json.Text(itemsNode)}");
        }

        var maxConcurrency = state.Jsonata && state.Raw["MaxConcurrency"] is JsonValue mc && mc.GetValueKind() == JsonValueKind.String
            ? (int)JsonataNumber(state, "MaxConcurrency", States(rawInput, sc.Context), sc)!.Value
            : state.MaxConcurrency;
        if (state.MaxConcurrencyPath is { } concurrencyPath)
        {
            maxConcurrency = NonNegativeInt(concurrencyPath, "MaxConcurrencyPath", effective, sc);
        }

        var toleratedCount = state.Jsonata && state.ToleratedFailureCount is null && state.Raw.ContainsKey("ToleratedFailureCount")
            ? (int?)JsonataNumber(state, "ToleratedFailureCount", States(rawInput, sc.Context), sc)
            : state.ToleratedFailureCountPath is { } countPath
            ? NonNegativeInt(countPath, "ToleratedFailureCountPath", effective, sc)
            : state.ToleratedFailureCount;
        double? toleratedPercentage = state.Jsonata && state.ToleratedFailurePercentage is null && state.Raw.ContainsKey("ToleratedFailurePercentage")
            ? JsonataNumber(state, "ToleratedFailurePercentage", States(rawInput, sc.Context), sc)
            : state.ToleratedFailurePercentagePath is { } percentagePath
            ? NonNegativeInt(percentagePath, "ToleratedFailurePercentagePath", effective, sc)
            : state.ToleratedFailurePercentage;
        var tolerant = toleratedCount is not null || toleratedPercentage is not null;

        // Each iteration's input is fixed before any runs, as ItemSelector sees the Map's input and the item.
        var inputs = new JsonNode?[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (state.ItemSelector is { } selector)
            {
                var map = new JsonObject { ["Item"] = new JsonObject { ["Index"] = i, ["Value"] = item?.DeepClone() } };
                inputs[i] = state.Jsonata
                    ? JsonataTemplate(selector, "ItemSelector", States(rawInput, sc.ContextWith(map, null)), sc)
                    : Template(selector, effective, sc.ContextWith(map, null), sc);
            }
            else
            {
                inputs[i] = item?.DeepClone();
            }
        }

        Record(cursor, "MapStateStarted", null, _recording ? new JsonObject { ["length"] = items.Count } : null);
        var outer = VariableScope.Current!;
        var results = new JsonNode?[items.Count];
        var joined = new EventCursor { Last = cursor.Last };
        var failed = 0;
        var failure = await RunConcurrentlyAsync(
            items.Count,
            maxConcurrency,
            async (i, token) =>
            {
                var iterationCursor = new EventCursor { Last = cursor.Last, Joined = joined };
                Record(iterationCursor, "MapIterationStarted", state.Name, Iteration(state.Name, i));
                var scope = VariableScope.Current = outer.Child();
                try
                {
                    results[i] = Detach(await RunBlockAsync(state.ItemProcessor!, inputs[i], iterationCursor, token));
                }
                catch (AslFailure f) when (!token.IsCancellationRequested)
                {
                    Record(iterationCursor, "MapIterationFailed", state.Name, Iteration(state.Name, i));
                    if (!tolerant || f.Uncatchable)
                    {
                        throw;
                    }

                    var failures = Interlocked.Increment(ref failed);
                    results[i] = new JsonObject { ["Error"] = f.Error, ["Cause"] = f.Cause };
                    var exceeded = (toleratedCount is { } c && failures > c)
                        || (toleratedPercentage is { } p && failures * 100.0 / items.Count > p);
                    if (exceeded)
                    {
                        throw new AslFailure(ErrorNames.ExceedToleratedFailureThreshold, "The specified tolerated failure threshold was exceeded");
                    }

                    return true;
                }
                finally
                {
                    scope.Release();
                }

                Record(iterationCursor, "MapIterationSucceeded", state.Name, Iteration(state.Name, i));
                return true;
            },
            ct);
        Rejoin(cursor, joined);
        if (failure is not null)
        {
            throw failure;
        }

        Record(cursor, "MapStateSucceeded", null, null);
        return ApplyOutput(state, rawInput, new JsonArray(results), sc);
    }

    private JsonObject? Iteration(string name, int index) => _recording ? new() { ["index"] = index, ["name"] = name } : null;

    private static JsonNode? Detach(JsonNode? node) => node?.Parent is null ? node : node.DeepClone();

    private static int NonNegativeInt(string path, string field, JsonNode? input, StateContext sc)
    {
        if (!AslPaths.TrySelect(path, input, sc.Context, out var value))
        {
            throw sc.Runtime($"Invalid path '{path}' : No results for path: {path}");
        }

        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d)
            && d >= 0 && d <= int.MaxValue && d == Math.Floor(d))
        {
            return (int)d;
        }

        // AWS also takes an integer written as a string (recorded: a variable holding "1" as MaxConcurrencyPath).
        if (value is JsonValue s && s.GetValueKind() == JsonValueKind.String
            && int.TryParse(s.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        throw sc.Runtime($"The {field} field refers to value \"{Raw(value)}\" which is not a valid integer: {path}");
    }

    /// <summary>
    /// Runs <paramref name="count"/> units with at most <paramref name="limit"/> at once (0: no limit). The first
    /// failure cancels the rest and is returned once every unit has stopped; cancellation of the whole execution
    /// propagates.
    /// </summary>
    private static async Task<AslFailure?> RunConcurrentlyAsync(int count, int limit, Func<int, CancellationToken, Task<bool>> unit, CancellationToken ct)
    {
        using var siblings = CancellationTokenSource.CreateLinkedTokenSource(ct);
        AslFailure? failure = null;
        var next = 0;
        var workers = limit <= 0 ? count : Math.Min(limit, count);

        async Task Worker()
        {
            while (!siblings.IsCancellationRequested)
            {
                var index = Interlocked.Increment(ref next) - 1;
                if (index >= count)
                {
                    return;
                }

                try
                {
                    await unit(index, siblings.Token);
                }
                catch (AslFailure f) when (!ct.IsCancellationRequested)
                {
                    if (Interlocked.CompareExchange(ref failure, f, null) is null)
                    {
                        siblings.Cancel();
                    }

                    return;
                }
                catch (OperationCanceledException) when (siblings.IsCancellationRequested && !ct.IsCancellationRequested)
                {
                    return;
                }
            }
        }

        var running = new Task[workers];
        for (var w = 0; w < workers; w++)
        {
            running[w] = Worker();
        }

        await Task.WhenAll(running);
        ct.ThrowIfCancellationRequested();
        return failure;
    }
}
