using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Phoenix.Asl.Tests.Conformance;

/// <summary>
/// Replays every recorded AWS execution (pure, choice, lambda). A case either matches AWS or is listed in
/// known-divergences.json with its reason, in which case it must still differ (a fixed divergence is a stale entry).
/// </summary>
public sealed class ConformanceTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> PureCases => ConformanceSuite.Rows("pure");

    public static IEnumerable<object[]> ChoiceCases => ConformanceSuite.Rows("choice");

    public static IEnumerable<object[]> LambdaCases => ConformanceSuite.Rows("lambda");

    public static IEnumerable<object[]> JsonataCases => ConformanceSuite.Rows("jsonata");

    [ConformanceTheory("pure")]
    [MemberData(nameof(PureCases))]
    public Task Replay_PureCase_MatchesAws(string file, string id) => ReplayAsync(file, id);

    [ConformanceTheory("choice")]
    [MemberData(nameof(ChoiceCases))]
    public Task Replay_ChoiceCase_MatchesAws(string file, string id) => ReplayAsync(file, id);

    [ConformanceTheory("lambda")]
    [MemberData(nameof(LambdaCases))]
    public Task Replay_LambdaCase_MatchesAws(string file, string id) => ReplayAsync(file, id);

    /// <summary>Variables (Assign, <c>$name</c>) and JSONata state machines.</summary>
    [ConformanceTheory("jsonata")]
    [MemberData(nameof(JsonataCases))]
    public Task Replay_JsonataCase_MatchesAws(string file, string id) => ReplayAsync(file, id);

    [ConformanceFact("pure", "choice", "lambda", "jsonata")]
    public void Suite_FromTheRepository_HoldsEveryRecordedCase()
    {
        // The counts the data's README states: a truncated or half-copied file would otherwise replay fewer cases green.
        Assert.Equal(257, ConformanceSuite.Cases("pure").Count);
        Assert.Equal(491, ConformanceSuite.Cases("choice").Count);
        Assert.Equal(55, ConformanceSuite.Cases("lambda").Count);
        Assert.Equal(174, ConformanceSuite.Cases("jsonata").Count);
    }

    [ConformanceFact("pure", "choice", "lambda", "jsonata")]
    public void KnownDivergences_EveryEntry_NamesARecordedCaseWithAReason()
    {
        foreach (var (file, entries) in KnownDivergences.All)
        {
            Assert.Contains(file, ConformanceSuite.Files);
            foreach (var (id, reason) in entries)
            {
                Assert.True(ConformanceSuite.Cases(file).ContainsKey(id), $"known-divergences.json lists '{id}' under '{file}', which is not a recorded case.");
                Assert.False(string.IsNullOrWhiteSpace(reason), $"known-divergences.json gives no reason for '{id}'.");
            }
        }
    }

    private async Task ReplayAsync(string file, string id)
    {
        var testCase = ConformanceSuite.Cases(file)[id];
        string? difference;
        try
        {
            var result = await ConformanceRunner.RunAsync(testCase);
            difference = CaseComparer.Compare(testCase, result);
        }
        catch (AslDefinitionException e)
        {
            difference = $"definition rejected: {string.Join("; ", e.Errors)}";
        }

        var divergence = KnownDivergences.Reason(file, id);
        if (divergence is null)
        {
            Assert.True(difference is null, $"{id}: {difference}");
        }
        else
        {
            output.WriteLine($"Known divergence: {divergence}. Observed: {difference}");
            Assert.False(difference is null, $"{id} now matches AWS; remove it from known-divergences.json.");
        }
    }
}

/// <summary>known-divergences.json: <c>{"pure": {"&lt;case id&gt;": "&lt;reason&gt;"}, ...}</c>.</summary>
internal static class KnownDivergences
{
    private static readonly Lazy<Dictionary<string, Dictionary<string, string>>> Entries = new(Load);

    public static IReadOnlyDictionary<string, Dictionary<string, string>> All => Entries.Value;

    public static string? Reason(string file, string id) =>
        Entries.Value.TryGetValue(file, out var entries) && entries.TryGetValue(id, out var reason) ? reason : null;

    private static Dictionary<string, Dictionary<string, string>> Load()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "known-divergences.json")))!.AsObject();
        var all = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (file, entries) in json)
        {
            if (file.StartsWith('_'))
            {
                continue;
            }

            all[file] = entries!.AsObject().ToDictionary(e => e.Key, e => e.Value!.GetValue<string>(), StringComparer.Ordinal);
        }

        return all;
    }
}
