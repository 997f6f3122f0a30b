using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Phoenix.Aws.Adapters;
using Phoenix.Aws.Tests.Support;

namespace Phoenix.Aws.Tests;

/// <summary>The lock's DynamoDB requests (LocalStack runs the real conditions in Phoenix.Integration.Tests).</summary>
public sealed class DeploymentLockAdapterTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TryAcquireAsync_Free_ConditionalPutWithOwnerExpiryAndTtl()
    {
        using var server = new LoopbackServer(_ => CannedResponse.Json("{}"));
        var locks = new DeploymentLockAdapter(TestClients.Factory(server).DynamoDb(), "phoenix", new FakeTimeProvider(Now));

        var attempt = await locks.TryAcquireAsync("web", "arn:exec:a", Now.AddDays(2), CancellationToken.None);

        Assert.True(attempt.Acquired);
        var put = JsonNode.Parse(Assert.Single(server.Requests).Body)!;
        Assert.Equal("attribute_not_exists(pk) OR #owner = :owner OR expiresAt <= :now", (string?)put["ConditionExpression"]);
        Assert.Equal(("APP#web", "LOCK", "arn:exec:a"), ((string?)put["Item"]!["pk"]!["S"], (string?)put["Item"]!["sk"]!["S"], (string?)put["Item"]!["owner"]!["S"]));
        Assert.Equal(Now.AddDays(2).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)put["Item"]!["ttl"]!["N"]);
        Assert.Equal(Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)put["ExpressionAttributeValues"]![":now"]!["N"]);
    }

    [Fact]
    public async Task TryAcquireAsync_HeldByAnother_ReportsTheHolder()
    {
        using var server = new LoopbackServer(request => request.Header("X-Amz-Target") == "DynamoDB_20120810.PutItem"
            ? CannedResponse.Json("{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\",\"message\":\"The conditional request failed\"}", 400)
            : CannedResponse.Json(
                "{\"Item\":{\"pk\":{\"S\":\"APP#web\"},\"sk\":{\"S\":\"LOCK\"},\"owner\":{\"S\":\"arn:exec:b\"},\"acquiredAt\":{\"S\":\"2025-12-31T23:00:00Z\"}," +
                "\"expiresAt\":{\"N\":\"1767398400\"},\"ttl\":{\"N\":\"1767398400\"}}}"));
        var locks = new DeploymentLockAdapter(TestClients.Factory(server).DynamoDb(), "phoenix", new FakeTimeProvider(Now));

        var attempt = await locks.TryAcquireAsync("web", "arn:exec:a", Now.AddDays(2), CancellationToken.None);

        Assert.False(attempt.Acquired);
        Assert.Equal(new Core.Ports.DeploymentLockRecord("web", "arn:exec:b", Now.AddHours(-1), DateTimeOffset.FromUnixTimeSeconds(1767398400)), attempt.Holder);
        Assert.True((bool?)JsonNode.Parse(server.Requests.Last().Body)!["ConsistentRead"]);
    }

    [Fact]
    public async Task ReleaseAsync_NotTheOwner_ReturnsFalse()
    {
        using var server = new LoopbackServer(_ =>
            CannedResponse.Json("{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\",\"message\":\"The conditional request failed\"}", 400));
        var locks = new DeploymentLockAdapter(TestClients.Factory(server).DynamoDb(), "phoenix", new FakeTimeProvider(Now));

        Assert.False(await locks.ReleaseAsync("web", "arn:exec:a", CancellationToken.None));
        Assert.Equal("#owner = :owner", (string?)JsonNode.Parse(Assert.Single(server.Requests).Body)!["ConditionExpression"]);
    }
}
