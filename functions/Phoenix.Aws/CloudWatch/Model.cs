using Amazon.Runtime;

namespace Phoenix.Aws.CloudWatch.Model;

public sealed class DescribeAlarmsRequest : AmazonWebServiceRequest
{
    public List<string>? AlarmNames { get; set; }

    public string? AlarmNamePrefix { get; set; }

    /// <summary>MetricAlarm and/or CompositeAlarm; the API returns only metric alarms when this is omitted.</summary>
    public List<string>? AlarmTypes { get; set; }

    public string? StateValue { get; set; }

    public int? MaxRecords { get; set; }

    public string? NextToken { get; set; }
}

public sealed class DescribeAlarmsResponse : AmazonWebServiceResponse
{
    public List<MetricAlarm>? MetricAlarms { get; set; }

    public List<CompositeAlarm>? CompositeAlarms { get; set; }

    public string? NextToken { get; set; }
}

public sealed class MetricAlarm
{
    public string? AlarmName { get; set; }

    public string? AlarmArn { get; set; }

    public string? StateValue { get; set; }

    public string? StateReason { get; set; }

    public DateTime? StateUpdatedTimestamp { get; set; }

    public string? MetricName { get; set; }

    public string? Namespace { get; set; }
}

public sealed class CompositeAlarm
{
    public string? AlarmName { get; set; }

    public string? AlarmArn { get; set; }

    public string? StateValue { get; set; }

    public string? StateReason { get; set; }

    public DateTime? StateUpdatedTimestamp { get; set; }
}
