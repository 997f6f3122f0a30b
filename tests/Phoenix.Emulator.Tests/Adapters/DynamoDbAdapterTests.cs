using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Time.Testing;
using Phoenix.Aws.Adapters;
using Phoenix.Core.Drift;
using Phoenix.Core.Ports;
using Phoenix.Emulator.Tests.Support;

namespace Phoenix.Emulator.Tests.Adapters;

/// <summary>The lock, ledger and drift dedupe against DynamoDB's real conditional writes and paging.</summary>
public sealed class DynamoDbAdapterTests(MotoServer moto) : EmulatorTest(moto)
{
    private const string Table = "phoenix-state";
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
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
    public async Task TryAcquire_Free_AcquiresAndGetReadsItBack()
    {
        var locks = new DeploymentLockAdapter(_dynamo, Table, _time);

        var attempt = await locks.TryAcquireAsync("web", "exec-a", Start.AddHours(1), CancellationToken.None);

        Assert.True(attempt.Acquired);
        Assert.Equal(new DeploymentLockRecord("web", "exec-a", Start, Start.AddHours(1)), await locks.GetAsync("web", CancellationToken.None));
    }

    [EmulatorFact]
    public async Task TryAcquire_HeldByAnother_FailsTheConditionAndReportsTheHolder()
    {
        var locks = new DeploymentLockAdapter(_dynamo, Table, _time);
        await locks.TryAcquireAsync("web", "exec-a", Start.AddHours(1), CancellationToken.None);

        var attempt = await locks.TryAcquireAsync("web", "exec-b", Start.AddHours(1), CancellationToken.None);

        Assert.False(attempt.Acquired);
        Assert.Equal("exec-a", attempt.Holder.Owner);
    }

    [EmulatorFact]
    public async Task TryAcquire_SameOwnerAgain_IsIdempotent()
    {
        var locks = new DeploymentLockAdapter(_dynamo, Table, _time);
        await locks.TryAcquireAsync("web", "exec-a", Start.AddHours(1), CancellationToken.None);

        Assert.True((await locks.TryAcquireAsync("web", "exec-a", Start.AddHours(2), CancellationToken.None)).Acquired);
        Assert.Equal(Start.AddHours(2), (await locks.GetAsync("web", CancellationToken.None))!.ExpiresAt);
    }

    [EmulatorFact]
    public async Task TryAcquire_ExpiredLock_IsTakenOver()
    {
        var locks = new DeploymentLockAdapter(_dynamo, Table, _time);
        await locks.TryAcquireAsync("web", "exec-a", Start.AddMinutes(10), CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(11));

        var attempt = await locks.TryAcquireAsync("web", "exec-b", Start.AddHours(1), CancellationToken.None);

        Assert.True(attempt.Acquired);
        Assert.Equal("exec-b", (await locks.GetAsync("web", CancellationToken.None))!.Owner);
    }

    [EmulatorFact]
    public async Task TryAcquire_OtherApplication_IsIndependent()
    {
        var locks = new DeploymentLockAdapter(_dynamo, Table, _time);
        await locks.TryAcquireAsync("web", "exec-a", Start.AddHours(1), CancellationToken.None);

        Assert.True((await locks.TryAcquireAsync("api", "exec-b", Start.AddHours(1), CancellationToken.None)).Acquired);
    }

    [EmulatorFact]
    public async Task Release_ByOwnerThenByOther_TrueThenFalse()
    {
        var locks = new DeploymentLockAdapter(_dynamo, Table, _time);
        await locks.TryAcquireAsync("web", "exec-a", Start.AddHours(1), CancellationToken.None);

        Assert.False(await locks.ReleaseAsync("web", "exec-b", CancellationToken.None));
        Assert.NotNull(await locks.GetAsync("web", CancellationToken.None));
        Assert.True(await locks.ReleaseAsync("web", "exec-a", CancellationToken.None));
        Assert.Null(await locks.GetAsync("web", CancellationToken.None));
        Assert.False(await locks.ReleaseAsync("web", "exec-a", CancellationToken.None));
    }

    [EmulatorFact]
    public async Task TryAcquire_MissingTable_ThrowsResourceNotFound()
    {
        var locks = new DeploymentLockAdapter(_dynamo, "no-such-table", _time);

        var error = await Assert.ThrowsAsync<ResourceNotFoundException>(() => locks.TryAcquireAsync("web", "exec-a", Start.AddHours(1), CancellationToken.None));

        Assert.Equal("ResourceNotFoundException", error.ErrorCode);
    }

    [EmulatorFact]
    public async Task LedgerPut_ThenGet_RoundTripsEveryField()
    {
        var ledger = new DeploymentLedgerAdapter(_dynamo, Table);
        var record = new DeploymentRecord(
            "web", "exec-1", "ROLLED_BACK", "ami-0000000000000000b", "ami-0000000000000000a", "green", "0123456789abcdef", "org/web", "cli", "alice",
            Start, Start.AddMinutes(12), "AlarmTriggered", "phoenix-web-target-5xx in ALARM");

        await ledger.PutAsync(record, CancellationToken.None);

        Assert.Equal(record, await ledger.GetAsync("web", "exec-1", CancellationToken.None));
        Assert.Null(await ledger.GetAsync("web", "exec-2", CancellationToken.None));
    }

    [EmulatorFact]
    public async Task LedgerList_MoreThanOnePage_FollowsLastEvaluatedKeyNewestFirst()
    {
        var seed = new DeploymentLedgerAdapter(_dynamo, Table);
        for (var i = 0; i < 130; i++)
        {
            await seed.PutAsync(Record("web", i), CancellationToken.None);
        }

        await seed.PutAsync(Record("api", 500), CancellationToken.None);
        var http = new RecordingHttpClientFactory();
        using var recorded = new AmazonDynamoDBClient(MotoServer.Credentials, Moto.Configure(new AmazonDynamoDBConfig { HttpClientFactory = http }));

        var listed = await new DeploymentLedgerAdapter(recorded, Table).ListAsync("web", 120, CancellationToken.None);

        Assert.Equal(Enumerable.Range(10, 120).Reverse().Select(Id), listed.Select(r => r.DeploymentId));
        var queries = http.Requests.Where(r => r.Target == "DynamoDB_20120810.Query").Select(r => System.Text.Json.Nodes.JsonNode.Parse(r.Body)!).ToList();
        Assert.Equal([100, 20], queries.Select(q => (int)q["Limit"]!));
        Assert.Null(queries[0]["ExclusiveStartKey"]);
        Assert.Equal($"DEPLOY#{Record("web", 30).StartedAt:yyyy-MM-ddTHH:mm:ssZ}#{Id(30)}", (string?)queries[1]["ExclusiveStartKey"]!["sk"]!["S"]);
    }

    [EmulatorFact]
    public async Task LedgerList_FewerThanTheLimit_ReturnsAllOfThatApplicationOnly()
    {
        var ledger = new DeploymentLedgerAdapter(_dynamo, Table);
        await ledger.PutAsync(Record("web", 1), CancellationToken.None);
        await ledger.PutAsync(Record("web", 2), CancellationToken.None);
        await ledger.PutAsync(Record("webshop", 3), CancellationToken.None);

        var listed = await ledger.ListAsync("web", 20, CancellationToken.None);

        Assert.Equal([Id(2), Id(1)], listed.Select(r => r.DeploymentId));
    }

    [EmulatorFact]
    public async Task Dedupe_SameStateTwiceInTheWindow_ClaimsOnce()
    {
        var dedupe = new DriftDedupeAdapter(_dynamo, Table);
        var mark = new DriftMark("rule/i-1", "NON_COMPLIANT", true, Start.AddHours(1), Start.AddDays(14));

        var first = await dedupe.TryOpenAsync(mark, Start, CancellationToken.None);
        var second = await dedupe.TryOpenAsync(mark, Start.AddMinutes(5), CancellationToken.None);

        Assert.Equal(new DedupeClaim(true, null), first);
        Assert.False(second.Claimed);
    }

    [EmulatorFact]
    public async Task Dedupe_AfterTheWindow_ClaimsAgainAndReturnsThePreviousMark()
    {
        var dedupe = new DriftDedupeAdapter(_dynamo, Table);
        var mark = new DriftMark("rule/i-1", "NON_COMPLIANT", true, Start.AddHours(1), Start.AddDays(14));
        await dedupe.TryOpenAsync(mark, Start, CancellationToken.None);
        var later = mark with { WindowEndsAt = Start.AddHours(3) };

        var claim = await dedupe.TryOpenAsync(later, Start.AddHours(2), CancellationToken.None);

        Assert.Equal(new DedupeClaim(true, mark), claim);
    }

    [EmulatorFact]
    public async Task Dedupe_ResolveOpenThenResolveAgain_TrueThenFalse()
    {
        var dedupe = new DriftDedupeAdapter(_dynamo, Table);
        var open = new DriftMark("rule/i-1", "NON_COMPLIANT", true, Start.AddHours(1), Start.AddDays(14));
        await dedupe.TryOpenAsync(open, Start, CancellationToken.None);
        var resolved = open with { State = "COMPLIANT", Open = false };

        Assert.True((await dedupe.TryResolveAsync(resolved, CancellationToken.None)).Claimed);
        Assert.False((await dedupe.TryResolveAsync(resolved, CancellationToken.None)).Claimed);
    }

    [EmulatorFact]
    public async Task Dedupe_Restore_UndoesOnlyItsOwnClaim()
    {
        var dedupe = new DriftDedupeAdapter(_dynamo, Table);
        var mark = new DriftMark("rule/i-1", "NON_COMPLIANT", true, Start.AddHours(1), Start.AddDays(14));
        await dedupe.TryOpenAsync(mark, Start, CancellationToken.None);

        await dedupe.RestoreAsync(mark, previous: null, CancellationToken.None);

        Assert.True((await dedupe.TryOpenAsync(mark, Start, CancellationToken.None)).Claimed);
        await dedupe.RestoreAsync(mark with { WindowEndsAt = Start.AddHours(9) }, previous: null, CancellationToken.None);
        Assert.False((await dedupe.TryOpenAsync(mark, Start, CancellationToken.None)).Claimed);
    }

    private static string Id(int i) => $"exec-{i.ToString("000", CultureInfo.InvariantCulture)}";

    private static DeploymentRecord Record(string application, int i) =>
        new(application, Id(i), "SUCCEEDED", "ami-0000000000000000b", null, "green", null, null, "cli", null, Start.AddMinutes(i), Start.AddMinutes(i + 1));
}
