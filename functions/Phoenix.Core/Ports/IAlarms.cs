namespace Phoenix.Core.Ports;

/// <summary>CloudWatch DescribeAlarms for the application's deployment alarms.</summary>
public interface IAlarms
{
    Task<IReadOnlyList<AlarmDescription>> DescribeAlarmsAsync(IReadOnlyList<string> alarmNames, CancellationToken cancellationToken);
}

/// <summary>StateValue: OK, ALARM, INSUFFICIENT_DATA.</summary>
public sealed record AlarmDescription(string AlarmName, string StateValue, string? StateReason, DateTimeOffset StateUpdatedTimestamp);
