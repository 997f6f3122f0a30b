using System.Text.Json.Nodes;

namespace Phoenix.Asl.Tests.Engine;

/// <summary>
/// History kept only when asked for, and Step Functions' 25,000-event history quota on STANDARD executions
/// (https://docs.aws.amazon.com/step-functions/latest/dg/bp-history-limit.html: event 25,000 must be ExecutionSucceeded,
/// otherwise ExecutionFailed is logged and the execution fails; AWS reports States.Runtime with the cause below).
/// </summary>
public sealed class HistoryTests
{
    // ExecutionStarted, then per iteration Inc and Check (entered + exited each), then Done (2) and the execution's end:
    // 4 * iterations + 4 events.
    private const string Loop = """
        {"StartAt":"Inc","States":{
          "Inc":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, 1)","limit.$":"$.limit"},"Next":"Check"},
          "Check":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericLessThanPath":"$.limit","Next":"Inc"}],"Default":"Done"},
          "Done":{"Type":"Succeed"}}}
        """;

    private const string QuotaCause = "The execution reached the maximum number of history events (25000).";

    [Fact]
    public async Task Standard_Event25000IsExecutionSucceeded_Succeeds()
    {
        var result = await RunAsync(6249, new ExecutionOptions());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(25_000, result.History.Count);
        Assert.Equal(("ExecutionSucceeded", 25_000L), (result.History[^1].Type, result.History[^1].Id));
        Assert.Equal("""{"n":6249,"limit":6249}""", result.Output!.ToJsonString());
    }

    [Fact]
    public async Task Standard_OneIterationMore_FailsWithStatesRuntimeAsEvent25000()
    {
        var result = await RunAsync(6250, new ExecutionOptions());

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(("States.Runtime", QuotaCause), (result.Error, result.Cause));
        Assert.Null(result.Output);
        Assert.Equal(25_000, result.History.Count);
        var last = result.History[^1];
        Assert.Equal(("ExecutionFailed", 25_000L, 24_999L), (last.Type, last.Id, last.PreviousEventId));
        Assert.Equal("""{"error":"States.Runtime","cause":"The execution reached the maximum number of history events (25000)."}""", last.Details.ToJsonString());
        Assert.Equal("PassStateExited", result.History[^2].Type);
    }

    [Fact]
    public async Task Standard_QuotaReachedInsideMap_NoCatchHandlesIt()
    {
        // Each item costs MapIterationStarted, Work entered/exited and MapIterationSucceeded: 4,000 items need 16,000+
        // events; a Catch on States.ALL must not turn the quota into a caught error (States.Runtime is not caught).
        const string definition = """
            {"StartAt":"Outer","States":{
              "Outer":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":1,"End":true,
                "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],
                "ItemProcessor":{"StartAt":"Inner","States":{
                  "Inner":{"Type":"Map","ItemsPath":"$.items","End":true,
                    "ItemProcessor":{"StartAt":"Work","States":{"Work":{"Type":"Pass","End":true}}}}}}},
              "Caught":{"Type":"Succeed"}}}
            """;
        var inner = new JsonArray([.. Enumerable.Range(0, 100).Select(i => (JsonNode)i)]);
        var items = new JsonArray([.. Enumerable.Range(0, 100).Select(_ => (JsonNode)new JsonObject { ["items"] = inner.DeepClone() })]);

        var result = await AslEngine.Start(StateMachineDefinition.Parse(definition), new JsonObject { ["items"] = items }, Options(new ExecutionOptions())).Completion;

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(("States.Runtime", QuotaCause), (result.Error, result.Cause));
        Assert.Equal(("ExecutionFailed", 25_000L), (result.History[^1].Type, result.History[^1].Id));
        Assert.DoesNotContain(result.History, e => e.StateName == "Caught");
    }

    [Fact]
    public async Task Express_HasNoHistoryQuota()
    {
        var result = await RunAsync(7000, new ExecutionOptions { Type = StateMachineType.Express });

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(4 * 7000 + 4, result.History.Count);
    }

    [Fact]
    public async Task RecordHistoryOff_KeepsNoEvents_SameResultAndSameQuota()
    {
        var succeeded = await RunAsync(6249, new ExecutionOptions { RecordHistory = false });
        var failed = await RunAsync(6250, new ExecutionOptions { RecordHistory = false });

        Assert.Equal(ExecutionStatus.Succeeded, succeeded.Status);
        Assert.Equal("""{"n":6249,"limit":6249}""", succeeded.Output!.ToJsonString());
        Assert.Empty(succeeded.History);
        Assert.Equal(ExecutionStatus.Failed, failed.Status);
        Assert.Equal(("States.Runtime", QuotaCause), (failed.Error, failed.Cause));
        Assert.Empty(failed.History);
    }

    [Fact]
    public async Task RecordHistoryOff_OnEventStillSeesEveryEvent_NoneKept()
    {
        var seen = new List<HistoryEvent>();
        var result = await RunAsync(3, new ExecutionOptions { RecordHistory = false, OnEvent = seen.Add });
        var kept = await RunAsync(3, new ExecutionOptions());

        Assert.Empty(result.History);
        Assert.Equal(kept.History.Select(e => (e.Id, e.PreviousEventId, e.Type, e.Details.ToJsonString())), seen.Select(e => (e.Id, e.PreviousEventId, e.Type, e.Details.ToJsonString())));
    }

    [Fact]
    public async Task RecordHistoryOff_RuntimeErrorCause_StillNamesTheEnteredEventId()
    {
        const string definition = """{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","InputPath":"$.missing","End":true}}}""";
        var kept = await AslEngine.Start(StateMachineDefinition.Parse(definition), new JsonObject(), Options(new ExecutionOptions())).Completion;
        var counted = await AslEngine.Start(StateMachineDefinition.Parse(definition), new JsonObject(), Options(new ExecutionOptions { RecordHistory = false })).Completion;

        Assert.Contains("(entered at the event id #4)", kept.Cause, StringComparison.Ordinal);
        Assert.Equal((kept.Status, kept.Error, kept.Cause), (counted.Status, counted.Error, counted.Cause));
    }

    private static Task<ExecutionResult> RunAsync(int limit, ExecutionOptions options) =>
        AslEngine.Start(StateMachineDefinition.Parse(Loop), new JsonObject { ["n"] = 0, ["limit"] = limit }, Options(options)).Completion.WaitAsync(TimeSpan.FromSeconds(60));

    private static ExecutionOptions Options(ExecutionOptions options) => new()
    {
        Time = new VirtualClock(Asl.Start),
        RecordHistory = options.RecordHistory,
        OnEvent = options.OnEvent,
        Type = options.Type,
    };
}
