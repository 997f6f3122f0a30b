using Phoenix.Cli.Simulation;
using Phoenix.Cli.Simulation.Drift;
using Phoenix.Core.Drift;

namespace Phoenix.Cli.Tests.Drift;

public class DriftScenarioTests
{
    [Fact]
    public async Task RunAsync_DriftScenario_DetectsAlertsReplacesWithinGuardrailsAndResolves()
    {
        var result = await DriftScenarioRunner.RunAsync(default);

        Assert.Equal(2, result.Replaced);
        Assert.Equal(2, result.HeldBack);
        Assert.True(result.StaleLockReleased);
        var chat = result.Chat.Select(c => c.Message).ToList();
        Assert.Equal(5, chat.Count(m => m.Metadata.EventType == DriftMessages.AlertEvent));
        Assert.Equal(2, chat.Count(m => m.Metadata.EventType == DriftMessages.ReplacementEvent));
        var resolved = chat.Where(m => m.Metadata.EventType == DriftMessages.ResolvedEvent).ToList();
        Assert.Equal(2, resolved.Count);
        Assert.All(resolved, r => Assert.Contains(chat, m => m.Metadata.EventType == DriftMessages.ReplacementEvent && m.Metadata.ThreadId == r.Metadata.ThreadId));
        Assert.Single(chat, m => m.Metadata.EventType == DriftMessages.DeploymentStoppedEvent);
        Assert.Contains(chat, m => m.Content.Description.Contains("Launched outside a managed group", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Outcomes, o => o.Disposition == DriftDisposition.Failed);
    }

    [Fact]
    public async Task RunAsync_DriftScenario_ReplacementsHappenOnTheVirtualClock()
    {
        var result = await DriftScenarioRunner.RunAsync(default);

        var replacements = result.Chat.Where(c => c.Message.Metadata.EventType == DriftMessages.ReplacementEvent).ToList();
        var resolutions = result.Chat.Where(c => c.Message.Metadata.EventType == DriftMessages.ResolvedEvent).ToList();
        Assert.All(replacements, r => Assert.Equal(DriftScenarioRunner.Start + TimeSpan.FromMinutes(12), r.At));
        Assert.All(resolutions, r => Assert.Equal(DriftScenarioRunner.Start + TimeSpan.FromMinutes(20), r.At));
    }

    [Fact]
    public async Task Write_DriftScenario_PrintsStoryAndChat()
    {
        var result = await DriftScenarioRunner.RunAsync(default);
        using var output = new StringWriter();

        DriftScenario.Write(result, output);

        var text = output.ToString();
        Assert.Contains("09:12:00  Config re-records them: 5 compliance change(s) to NON_COMPLIANT reach the drift queue.", text, StringComparison.Ordinal);
        Assert.Contains("Replaced 2, held back 2, stale lock released: yes.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScenarioCatalog_Drift_IsListedAndRunsToItsExpectedEnd()
    {
        var scenario = ScenarioCatalog.Find("drift");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await scenario!.RunAsync(new ScenarioParameters(), new ScenarioOutput(output, error, Json: false), default);

        Assert.Equal(0, exit);
        Assert.Contains("Replaced 2, held back 2, stale lock released: yes.", output.ToString(), StringComparison.Ordinal);
    }
}
