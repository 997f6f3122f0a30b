using System.Collections.Concurrent;
using System.Text;
using System.Web;
using Phoenix.Aws.Adapters;
using Phoenix.Aws.Tests.Support;
using Phoenix.Core;
using Phoenix.Core.Ports;

namespace Phoenix.Aws.Tests;

public sealed class NotifierAdapterTests
{
    private const string Topic = "arn:aws:sns:us-east-1:123456789012:phoenix-drift";

    private static readonly OutgoingMessage[] Messages = [new("m0", "zero"), new("m1", "one"), new("m2", "two")];

    [Fact]
    public async Task PublishAsync_OneEntryFailsOnce_RetriesOnlyThatEntry()
    {
        var sns = new SnsFake(failures: new() { ["m1"] = (1, false) });
        using var server = new LoopbackServer(sns.Answer);

        await new NotifierAdapter(TestClients.Factory(server).SimpleNotificationService()).PublishAsync(Topic, Messages, CancellationToken.None);

        Assert.Equal([["m0", "m1", "m2"], ["m1"]], sns.Batches);
        Assert.Equal(["one", "two", "zero"], sns.Delivered.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PublishAsync_SenderFault_FailsNamingTheEntryWithoutRetry()
    {
        var sns = new SnsFake(failures: new() { ["m2"] = (int.MaxValue, true) });
        using var server = new LoopbackServer(sns.Answer);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new NotifierAdapter(TestClients.Factory(server).SimpleNotificationService()).PublishAsync(Topic, Messages, CancellationToken.None));

        Assert.Equal($"PublishBatch to {Topic} rejected 1 message(s): m2: InvalidParameter entry m2 refused", error.Message);
        Assert.Single(sns.Batches);
    }

    [Fact]
    public async Task PublishAsync_EntryKeepsFailing_TransientFailureNamingOnlyWhatWasNotDelivered()
    {
        var sns = new SnsFake(failures: new() { ["m1"] = (int.MaxValue, false) });
        using var server = new LoopbackServer(sns.Answer);

        var error = await Assert.ThrowsAsync<TransientFailure>(() =>
            new NotifierAdapter(TestClients.Factory(server).SimpleNotificationService()).PublishAsync(Topic, Messages, CancellationToken.None));

        Assert.Contains("m1: InternalError", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("m0", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("m2", error.Message, StringComparison.Ordinal);
        Assert.Equal(["m0", "m1", "m2"], sns.Batches[0]);
        Assert.True(sns.Batches.Count > 2, $"only {sns.Batches.Count} attempt(s)");
        Assert.All(sns.Batches.Skip(1), batch => Assert.Equal(["m1"], batch));
        Assert.Equal(["two", "zero"], sns.Delivered.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// PublishBatch as SNS answers it: each entry succeeds or fails on its own; an entry named in
    /// <c>failures</c> fails that many times (SenderFault as given) before it is delivered.
    /// </summary>
    private sealed class SnsFake(Dictionary<string, (int Times, bool SenderFault)> failures)
    {
        private readonly ConcurrentDictionary<string, int> _failed = new(StringComparer.Ordinal);

        public List<List<string>> Batches { get; } = [];

        public ConcurrentBag<string> Delivered { get; } = [];

        public CannedResponse Answer(RecordedRequest request)
        {
            var form = HttpUtility.ParseQueryString(request.Body);
            Assert.Equal(("PublishBatch", Topic), (form["Action"], form["TopicArn"]));
            var successful = new StringBuilder();
            var failed = new StringBuilder();
            var batch = new List<string>();
            for (var n = 1; form[$"PublishBatchRequestEntries.member.{n}.Id"] is { } id; n++)
            {
                batch.Add(id);
                if (failures.TryGetValue(id, out var failure) && _failed.AddOrUpdate(id, 1, (_, count) => count + 1) <= failure.Times)
                {
                    var code = failure.SenderFault ? "InvalidParameter" : "InternalError";
                    failed.Append($"<member><Id>{id}</Id><Code>{code}</Code><Message>entry {id} refused</Message><SenderFault>{(failure.SenderFault ? "true" : "false")}</SenderFault></member>");
                }
                else
                {
                    Delivered.Add(form[$"PublishBatchRequestEntries.member.{n}.Message"]!);
                    successful.Append($"<member><Id>{id}</Id><MessageId>msg-{id}-{Delivered.Count}</MessageId></member>");
                }
            }

            Batches.Add(batch);
            return CannedResponse.Xml(
                $"<PublishBatchResponse><PublishBatchResult><Successful>{successful}</Successful><Failed>{failed}</Failed></PublishBatchResult>" +
                "<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishBatchResponse>");
        }
    }
}
