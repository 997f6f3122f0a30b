using Phoenix.Aws.CloudWatch;
using Phoenix.Core.Ports;
using Model = Phoenix.Aws.CloudWatch.Model;

namespace Phoenix.Aws.Adapters;

public sealed class AlarmsAdapter(AmazonCloudWatchClient client) : IAlarms
{
    /// <summary>DescribeAlarms takes at most 100 names per call.</summary>
    private const int NamesPerCall = 100;

    public Task<IReadOnlyList<AlarmDescription>> DescribeAlarmsAsync(IReadOnlyList<string> alarmNames, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alarmNames);
        return AwsCall.RunAsync<IReadOnlyList<AlarmDescription>>("DescribeAlarms", async () =>
        {
            var alarms = new List<AlarmDescription>();
            foreach (var names in alarmNames.Chunk(NamesPerCall))
            {
                string? token = null;
                do
                {
                    var page = await client.DescribeAlarmsAsync(
                        new Model.DescribeAlarmsRequest { AlarmNames = [.. names], AlarmTypes = ["CompositeAlarm", "MetricAlarm"], NextToken = token },
                        cancellationToken).ConfigureAwait(false);
                    alarms.AddRange((page.MetricAlarms ?? []).Select(a => Describe(a.AlarmName, a.StateValue, a.StateReason, a.StateUpdatedTimestamp)));
                    alarms.AddRange((page.CompositeAlarms ?? []).Select(a => Describe(a.AlarmName, a.StateValue, a.StateReason, a.StateUpdatedTimestamp)));
                    token = page.NextToken;
                }
                while (!string.IsNullOrEmpty(token));
            }

            return alarms;
        }, cancellationToken);
    }

    private static AlarmDescription Describe(string? name, string? state, string? reason, DateTime? updated) =>
        new(name ?? string.Empty, state ?? "INSUFFICIENT_DATA", reason, updated is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : DateTimeOffset.MinValue);
}
