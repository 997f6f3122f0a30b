using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Phoenix.Aws.Adapters;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;
using Phoenix.Emulator.Tests.Support;
using Capacity = Phoenix.Core.Domain.Capacity;

namespace Phoenix.Emulator.Tests.Adapters;

/// <summary>
/// The ledger's issue-11 members against DynamoDB: the restore point a cleanup acts on, the warning and the approval token,
/// and items written before they existed.
/// </summary>
public sealed class LedgerRestorePointTests(MotoServer moto) : EmulatorTest(moto)
{
    private const string Table = "phoenix-state";
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private AmazonDynamoDBClient _dynamo = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _dynamo = Moto.Clients().DynamoDb();
        await StateTable.CreateAsync(_dynamo, Table);
    }

    public override Task DisposeAsync()
    {
        _dynamo.Dispose();
        return base.DisposeAsync();
    }

    [EmulatorFact]
    public async Task PutThenGet_RestorePointWarningAndApprovalToken_RoundTrip()
    {
        var ledger = new DeploymentLedgerAdapter(_dynamo, Table);
        var restore = new RestorePoint(
            "blue",
            new Capacity(2, 6, 4),
            "green",
            new Dictionary<string, IReadOnlyList<string>> { ["web-blue"] = ["AZRebalance", "ScheduledActions"], ["web-green"] = [] },
            TrafficMoved: true);
        var record = Record() with { Restore = restore, Warning = "web-blue could not be scaled down: scale it to 0", ApprovalToken = "AQCEAAAAKgAAAAMAAAAAAAAAAd3Q" };

        await ledger.PutAsync(record, CancellationToken.None);
        var read = await ledger.GetAsync("web", "exec-1", CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(record with { Restore = null }, read with { Restore = null });
        Assert.NotNull(read.Restore);
        Assert.Equal(("blue", new Capacity(2, 6, 4), "green", true), (read.Restore.PreviousColour, read.Restore.PreviousCapacity, read.Restore.TargetColour, read.Restore.TrafficMoved));
        Assert.Equal(["web-blue", "web-green"], read.Restore.SuspendedProcesses.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["AZRebalance", "ScheduledActions"], read.Restore.SuspendedProcesses["web-blue"]);
        Assert.Empty(read.Restore.SuspendedProcesses["web-green"]);
    }

    /// <summary>A deployment that found no live colour (first deployment) has no previous colour or capacity to restore.</summary>
    [EmulatorFact]
    public async Task PutThenList_RestorePointWithoutPreviousColour_RoundTrips()
    {
        var ledger = new DeploymentLedgerAdapter(_dynamo, Table);
        var record = Record() with { Restore = new RestorePoint(null, null, "blue", new Dictionary<string, IReadOnlyList<string>>()) };

        await ledger.PutAsync(record, CancellationToken.None);
        var read = Assert.Single(await ledger.ListAsync("web", 10, CancellationToken.None));

        Assert.Equal((null, null, "blue", 0, false), (read.Restore!.PreviousColour, read.Restore.PreviousCapacity, read.Restore.TargetColour, read.Restore.SuspendedProcesses.Count, read.Restore.TrafficMoved));
    }

    /// <summary>Items written before issue 11 (no restore, warning or approval token; result SUCCEEDED) still read.</summary>
    [EmulatorFact]
    public async Task Get_LegacyItem_ReadsWithoutTheNewMembers()
    {
        await _dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = Table,
            Item = new()
            {
                ["pk"] = new() { S = "APP#web" },
                ["sk"] = new() { S = "DEPLOY#2026-01-01T12:00:00Z#exec-0" },
                ["application"] = new() { S = "web" },
                ["deploymentId"] = new() { S = "exec-0" },
                ["result"] = new() { S = DeploymentResults.LegacySucceeded },
                ["startedAt"] = new() { S = "2026-01-01T12:00:00.0000000Z" },
                ["imageId"] = new() { S = "ami-0000000000000000b" },
            },
        });

        var read = await new DeploymentLedgerAdapter(_dynamo, Table).GetAsync("web", "exec-0", CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal((DeploymentResults.LegacySucceeded, "ami-0000000000000000b", Start), (read.Result, read.ImageId, read.StartedAt));
        Assert.Equal(((RestorePoint?)null, (string?)null, (string?)null), (read.Restore, read.Warning, read.ApprovalToken));
    }

    /// <summary>A cleanup must never act on half a restore point: an unreadable one is an error naming the item.</summary>
    [EmulatorFact]
    public async Task Get_RestorePointWithoutTargetColour_ThrowsNamingTheItem()
    {
        await _dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = Table,
            Item = new()
            {
                ["pk"] = new() { S = "APP#web" },
                ["sk"] = new() { S = "DEPLOY#2026-01-01T12:00:00Z#exec-9" },
                ["application"] = new() { S = "web" },
                ["deploymentId"] = new() { S = "exec-9" },
                ["result"] = new() { S = DeploymentResults.InProgress },
                ["startedAt"] = new() { S = "2026-01-01T12:00:00.0000000Z" },
                ["restore"] = new() { M = new() { ["previousColour"] = new() { S = "blue" } } },
            },
        });

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => new DeploymentLedgerAdapter(_dynamo, Table).GetAsync("web", "exec-9", CancellationToken.None));

        Assert.Contains("web/exec-9", error.Message, StringComparison.Ordinal);
        Assert.Contains("targetColour", error.Message, StringComparison.Ordinal);
    }

    [EmulatorFact]
    public async Task Put_DeployedWithWarning_StoresTheResultAndWarningAsPlainStrings()
    {
        await new DeploymentLedgerAdapter(_dynamo, Table).PutAsync(
            Record() with { Result = DeploymentResults.Deployed, Warning = "scale web-blue to 0" }, CancellationToken.None);

        var item = (await _dynamo.ScanAsync(new ScanRequest { TableName = Table })).Items!.Single();

        Assert.Equal(("DEPLOYED", "scale web-blue to 0"), (item["result"].S, item["warning"].S));
        Assert.False(item.ContainsKey("restore"));
        Assert.False(item.ContainsKey("approvalToken"));
    }

    private static DeploymentRecord Record() =>
        new("web", "exec-1", DeploymentResults.InProgress, "ami-0000000000000000b", "ami-0000000000000000a", "green", "0123abcd", "org/web", "cli", "alice", Start, null);
}
