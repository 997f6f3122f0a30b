using System.Globalization;
using Phoenix.Aws.Adapters;
using Phoenix.Aws.SimpleNotificationService;
using Phoenix.Core.Ports;
using Phoenix.Emulator.Tests.Support;
using SnsModel = Phoenix.Aws.SimpleNotificationService.Model;

namespace Phoenix.Emulator.Tests.Adapters;

public sealed class NotifierAdapterTests(MotoServer moto) : EmulatorTest(moto)
{
    [EmulatorFact]
    public async Task Publish_OneMessage_ArrivesWithSubjectInTheSubscribedQueue()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1);
        using var client = Moto.Clients().SimpleNotificationService();

        await new NotifierAdapter(client).PublishAsync(fleet.TopicArn, [new OutgoingMessage("a", "{\"n\":1}", "web deployed")], CancellationToken.None);

        var received = Assert.Single(await fleet.ReceiveNotificationsAsync());
        Assert.Equal(("web deployed", 1), (received.Subject, (int?)received.Message["n"]));
    }

    [EmulatorFact]
    public async Task Publish_TwentyFiveMessages_GoesInBatchesOfTenAndEveryMessageArrivesOnce()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1);
        using var client = Moto.Clients().SimpleNotificationService();
        var messages = Enumerable.Range(0, 25)
            .Select(i => new OutgoingMessage(i.ToString(CultureInfo.InvariantCulture), $"{{\"n\":{i.ToString(CultureInfo.InvariantCulture)}}}"))
            .ToList();

        await new NotifierAdapter(client).PublishAsync(fleet.TopicArn, messages, CancellationToken.None);

        var received = await fleet.ReceiveNotificationsAsync();
        Assert.Equal(Enumerable.Range(0, 25), received.Select(r => (int)r.Message["n"]!).Order());
    }

    [EmulatorFact]
    public async Task Publish_UnknownTopic_ThrowsNotFound()
    {
        using var client = Moto.Clients().SimpleNotificationService();
        var unknown = $"arn:aws:sns:{MotoServer.RegionName}:{MotoServer.Account}:nobody";

        var error = await Assert.ThrowsAsync<NotFoundException>(() =>
            new NotifierAdapter(client).PublishAsync(unknown, [new OutgoingMessage("a", "{}")], CancellationToken.None));

        Assert.Equal("NotFound", error.ErrorCode);
    }

    [EmulatorFact]
    public async Task PublishBatch_UnknownTopic_ThrowsNotFound()
    {
        using var client = Moto.Clients().SimpleNotificationService();
        var unknown = $"arn:aws:sns:{MotoServer.RegionName}:{MotoServer.Account}:nobody";

        var error = await Assert.ThrowsAsync<NotFoundException>(() =>
            new NotifierAdapter(client).PublishAsync(unknown, [new OutgoingMessage("a", "{}"), new OutgoingMessage("b", "{}")], CancellationToken.None));

        Assert.Equal("NotFound", error.ErrorCode);
    }

    [EmulatorFact]
    public async Task PublishBatch_DuplicateEntryIds_ThrowsBatchEntryIdsNotDistinct()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1);
        using var client = Moto.Clients().SimpleNotificationService();

        var error = await Assert.ThrowsAsync<BatchEntryIdsNotDistinctException>(() =>
            new NotifierAdapter(client).PublishAsync(fleet.TopicArn, [new OutgoingMessage("same", "{}"), new OutgoingMessage("same", "{}")], CancellationToken.None));

        Assert.Equal("BatchEntryIdsNotDistinct", error.ErrorCode);
        Assert.Empty(await fleet.ReceiveNotificationsAsync());
    }

    [EmulatorFact]
    public async Task PublishBatch_ElevenEntriesInOneCall_ThrowsTooManyEntries()
    {
        using var fleet = await EmulatorFleet.CreateAsync(Moto, capacity: 1);
        using var client = Moto.Clients().SimpleNotificationService();

        // The adapter never sends more than ten; this checks the error it would meet is typed as AWS names it.
        var error = await Assert.ThrowsAsync<TooManyEntriesInBatchRequestException>(() => client.PublishBatchAsync(new SnsModel.PublishBatchRequest
        {
            TopicArn = fleet.TopicArn,
            PublishBatchRequestEntries = Enumerable.Range(0, 11).Select(i => new SnsModel.PublishBatchRequestEntry { Id = $"m{i}", Message = "{}" }).ToList(),
        }));

        Assert.Equal("TooManyEntriesInBatchRequest", error.ErrorCode);
    }
}
