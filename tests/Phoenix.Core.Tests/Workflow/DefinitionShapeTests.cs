using System.Text.Json.Nodes;

namespace Phoenix.Core.Tests.Workflow;

/// <summary>
/// The shape of deploy.asl.json as the console draws it (issue 11, item 10): one failure target per protected block,
/// one Catch of every error per Task, and the name "green" defined once for both directions. The one typed Catch before
/// it is AcquireLock's: refused by another execution's lock, a deployment reports REFUSED and touches no lock.
/// </summary>
public class DefinitionShapeTests
{
    /// <summary>Tasks before the first change: a failure releases the lock and reports, nothing to undo.</summary>
    private static readonly string[] BeforeAnyChange = ["AcquireLock", "ResolveFleet", "StartBake", "CheckBake"];

    /// <summary>From the first change to Finalize: a failure rolls back.</summary>
    private static readonly string[] Protected =
    [
        "UpdateLaunchTemplate", "ScaleUpGreen", "CheckHealth", "RequestApproval", "SwapTraffic", "CheckCanaryAlarms",
        "StartBakeTimeWatch", "WatchAlarms", "Finalize",
    ];

    [Fact]
    public void Tasks_Every_HasOneCatchOfEveryError()
    {
        foreach (var (name, state) in Tasks())
        {
            var catches = state["Catch"]!.AsArray();
            var typed = name == "AcquireLock" ? 1 : 0;
            Assert.True(catches.Count == typed + 1, $"{name} has {catches.Count} Catch entries");
            Assert.Equal(["States.ALL"], catches[typed]!["ErrorEquals"]!.AsArray().Select(e => (string)e!));
        }
    }

    [Fact]
    public void AcquireLock_RefusedByAnotherExecutionsLock_NotifiesRefusedAndReleasesNoLock()
    {
        var states = States();
        var refusal = states["AcquireLock"]!["Catch"]!.AsArray()[0]!;

        Assert.Equal(["DeploymentLocked"], refusal["ErrorEquals"]!.AsArray().Select(e => (string)e!));
        Assert.Equal(("NotifyRefused", "$.error"), ((string)refusal["Next"]!, (string)refusal["ResultPath"]!));
        Assert.Equal("REFUSED", (string?)states["NotifyRefused"]!["Parameters"]!["outcome"]);
        var after = Reachable(states, "NotifyRefused");
        Assert.DoesNotContain(after, s => (string?)states[s]!["Resource"] == "${ReleaseLockFunctionArn}");
        Assert.Contains("DeploymentFailed", after);
    }

    [Fact]
    public void Tasks_ByBlock_CatchToTheBlocksOneTargetAtTheSamePath()
    {
        var states = States();

        Assert.All(BeforeAnyChange, name => Assert.Equal(("ReleaseLockAfterFailure", "$.error"), Catch(states, name)));
        Assert.All(Protected, name => Assert.Equal(("Rollback", "$.error"), Catch(states, name)));
        var failureTargets = Tasks().Select(t => Catch(states, t.Name)).Where(c => c.Path == "$.error").Select(c => c.Next).ToHashSet();
        Assert.Equal(["NotifyFailed", "NotifyRejected", "ReleaseLockAfterFailure", "Rollback"], failureTargets.Order());
    }

    [Fact]
    public void Tasks_AfterFinalize_NeverRollBackOrReportAFailure()
    {
        var states = States();
        var after = Reachable(states, "KeepPreviousWarm");

        Assert.Contains("ScaleDownPrevious", after);
        Assert.Contains("Deployed", after);
        Assert.DoesNotContain("Rollback", after);
        Assert.DoesNotContain("NotifyFailed", after);
        Assert.DoesNotContain("DeploymentFailed", after);
    }

    [Fact]
    public void Rollback_FailingForGood_NeverReleasesTheLock()
    {
        var states = States();
        Assert.Equal(("RecordRollbackFailure", "$.rollbackError"), Catch(states, "Rollback"));

        var after = Reachable(states, "RecordRollbackFailure");

        Assert.DoesNotContain(after, s => (string?)states[s]!["Resource"] == "${ReleaseLockFunctionArn}");
        Assert.Equal("RollbackFailed", (string?)states["RollbackFailed"]!["Error"]);
        Assert.Contains("RollbackFailed", after);
    }

    [Fact]
    public void Comment_Top_DefinesGreenAsTheIdleColour()
    {
        var comment = (string?)JsonNode.Parse(File.ReadAllText(Repository.DeployDefinitionPath))!["Comment"];

        Assert.Contains("\"Green\" in state names always means the idle colour", comment, StringComparison.Ordinal);
    }

    /// <summary>Where a Task's Catch of every error (its last) goes.</summary>
    private static (string Next, string Path) Catch(JsonObject states, string name)
    {
        var entry = states[name]!["Catch"]!.AsArray()[^1]!;
        return ((string)entry["Next"]!, (string)entry["ResultPath"]!);
    }

    /// <summary>Every state reachable from <paramref name="start"/> through Next, Default, Choices and Catch.</summary>
    private static HashSet<string> Reachable(JsonObject states, string start)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        while (queue.TryDequeue(out var name))
        {
            if (!seen.Add(name))
            {
                continue;
            }

            var state = states[name]!;
            var next = new List<string?> { (string?)state["Next"], (string?)state["Default"] };
            next.AddRange(state["Choices"]?.AsArray().Select(c => (string?)c!["Next"]) ?? []);
            next.AddRange(state["Catch"]?.AsArray().Select(c => (string?)c!["Next"]) ?? []);
            foreach (var n in next.OfType<string>())
            {
                queue.Enqueue(n);
            }
        }

        return seen;
    }

    private static JsonObject States() =>
        JsonNode.Parse(File.ReadAllText(Repository.DeployDefinitionPath))!["States"]!.AsObject();

    private static IEnumerable<(string Name, JsonObject State)> Tasks() =>
        States().Where(s => (string?)s.Value!["Type"] == "Task").Select(s => (s.Key, s.Value!.AsObject()));
}
