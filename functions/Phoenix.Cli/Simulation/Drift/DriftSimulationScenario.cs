using System.Text.Json;
using System.Text.Json.Nodes;
using Phoenix.Core.Drift;

namespace Phoenix.Cli.Simulation.Drift;

/// <summary><c>phoenix simulate --scenario drift</c> (discovered by the scenario catalog).</summary>
public sealed class DriftSimulationScenario : SimulationScenario
{
    public override string Name => DriftScenario.Name;

    public override string Description =>
        "Drift: a hand-edited launch template and a stray server are detected, alerted and replaced within the guardrails; an aborted deployment's stale lock is released.";

    public override IReadOnlyDictionary<string, string> NotApplicable { get; } = new Dictionary<string, string>
    {
        ["--instances"] = "it runs its own fleet of 4 instances and no deployment",
        ["--image"] = "it runs no deployment; its images are part of the story",
        ["--steps"] = "it runs no deployment, so no traffic moves",
    };

    /// <summary>0 when drift replaced what the guardrails allow, held back the rest and released the stale lock.</summary>
    public override async Task<int> RunAsync(ScenarioParameters parameters, ScenarioOutput output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var result = await DriftScenarioRunner.RunAsync(cancellationToken);
        if (output.Json)
        {
            // Added as JsonNode: JsonArray.Add<T> may create values by reflection, which Native AOT refuses.
            var chat = new JsonArray();
            foreach (var (at, message) in result.Chat)
            {
                chat.Add((JsonNode)new JsonObject { ["at"] = at.ToString("O"), ["notification"] = JsonSerializer.SerializeToNode(message, DriftJsonContext.Relaxed.ChatNotification) });
            }

            var story = new JsonArray();
            foreach (var line in result.Story)
            {
                story.Add((JsonNode)new JsonObject { ["at"] = line.At.ToString("O"), ["text"] = line.Text });
            }

            var document = new JsonObject
            {
                ["scenario"] = Name,
                ["replaced"] = result.Replaced,
                ["heldBack"] = result.HeldBack,
                ["staleLockReleased"] = result.StaleLockReleased,
                ["story"] = story,
                ["chat"] = chat,
            };
            await output.Out.WriteLineAsync(document.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        }
        else
        {
            DriftScenario.Write(result, output.Out);
        }

        var failed = result.Outcomes.Count(o => o.Disposition == DriftDisposition.Failed);
        return result is { Replaced: > 0, HeldBack: > 0, StaleLockReleased: true } && failed == 0 ? 0 : 1;
    }
}
