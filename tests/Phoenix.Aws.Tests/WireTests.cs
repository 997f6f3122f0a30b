using System.Text.Json;
using System.Text.Json.Nodes;
using System.Web;
using Phoenix.Aws.Tests.Support;

namespace Phoenix.Aws.Tests;

/// <summary>
/// Phoenix.Aws must put on the wire what the official AWS SDK for JavaScript v3 puts there for the same input
/// (Fixtures/Wire, recorded by wire/record.mjs), parameter and member order aside.
/// </summary>
public sealed class WireTests
{
    private static readonly string FixtureFolder = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static TheoryData<string> Operations()
    {
        var data = new TheoryData<string>();
        foreach (var name in WireOperations.Names.Order(StringComparer.Ordinal))
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task SendAsync_SameInputAsOfficialSdk_SameRequestOnTheWire(string operation)
    {
        var expected = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(FixtureFolder, "Wire", operation + ".json")))!.AsObject();
        using var inputs = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(FixtureFolder, "operations.json")));
        var input = inputs.RootElement.EnumerateArray().Single(o => FixtureName(o) == operation).GetProperty("input");
        using var server = new LoopbackServer(TestClients.EmptySuccess);

        await WireOperations.SendAsync(operation, TestClients.Factory(server), input);

        var actual = Assert.Single(server.Requests);
        Assert.Equal((string)expected["method"]!, actual.Method);
        Assert.Equal((string)expected["path"]!, actual.Path);
        Assert.Equal(MediaType((string)expected["contentType"]!), MediaType(actual.Header("Content-Type")!));
        Assert.Equal((string?)expected["target"], actual.Header("X-Amz-Target"));
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", actual.Header("Authorization"), StringComparison.Ordinal);
        if (expected["target"] is null)
        {
            var form = HttpUtility.ParseQueryString(actual.Body);
            var parameters = form.AllKeys.ToDictionary(k => k!, k => form[k]!);
            var expectedParameters = expected["parameters"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!);
            Assert.Equal(expectedParameters.OrderBy(p => p.Key, StringComparer.Ordinal), parameters.OrderBy(p => p.Key, StringComparer.Ordinal));
        }
        else
        {
            Assert.True(
                JsonNode.DeepEquals(Normalize(expected["body"]), Normalize(JsonNode.Parse(actual.Body))),
                $"expected {expected["body"]!.ToJsonString()}\nactual   {actual.Body}");
        }
    }

    [Fact]
    public void Fixtures_EveryRecordedOperation_HasAnImplementation()
    {
        var recorded = Directory.GetFiles(Path.Combine(FixtureFolder, "Wire"), "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);

        Assert.Equal(recorded, WireOperations.Names.Order(StringComparer.Ordinal));
    }

    private static string? FixtureName(JsonElement input) =>
        (input.TryGetProperty("fixture", out var fixture) ? fixture : input.GetProperty("operation")).GetString();

    private static string MediaType(string contentType) => contentType.Split(';')[0].Trim();

    /// <summary>Member order is not part of the protocol; sort object members so DeepEquals compares content only.</summary>
    private static JsonNode? Normalize(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Normalize(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Normalize).ToArray()),
        null => null,
        _ => JsonNode.Parse(node.ToJsonString()),
    };
}
