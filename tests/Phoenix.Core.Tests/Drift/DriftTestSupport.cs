using System.Text.Json;
using Phoenix.Core.Drift;

namespace Phoenix.Core.Tests.Drift;

/// <summary>A clock that moves only when the test moves it.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public static DateTimeOffset Start { get; } = new(2026, 11, 26, 21, 5, 20, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

internal static class Fixture
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Drift", "Fixtures", name));

    public static SqsMessage Message(string name, string? id = null) => new(id ?? name, Read(name));
}

internal static class Published
{
    public static IReadOnlyList<JsonElement> All(FakeFleet fleet) =>
        fleet.PublishedBatches.SelectMany(b => b).Select(m => JsonDocument.Parse(m.Message).RootElement.Clone()).ToList();

    public static string Title(JsonElement message) => message.GetProperty("content").GetProperty("title").GetString()!;

    public static string Description(JsonElement message) => message.GetProperty("content").GetProperty("description").GetString()!;

    public static string Thread(JsonElement message) => message.GetProperty("metadata").GetProperty("threadId").GetString()!;

    public static string EventType(JsonElement message) => message.GetProperty("metadata").GetProperty("eventType").GetString()!;
}

internal static class Handlers
{
    public static DriftOptions Options { get; } = new(FakeFleet.TopicArn);

    public static DriftHandler For(FakeFleet fleet, DriftOptions? options = null) => new(fleet.Ports, options ?? Options, fleet.Time);
}
