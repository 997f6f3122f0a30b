using System.Text.Json.Serialization;
using Amazon.Runtime;

namespace Phoenix.Aws.ConfigService.Model;

public sealed class PutEvaluationsRequest : AmazonWebServiceRequest
{
    public List<Evaluation>? Evaluations { get; set; }

    public string? ResultToken { get; set; }

    public bool? TestMode { get; set; }
}

public sealed class Evaluation
{
    public string? ComplianceResourceType { get; set; }

    public string? ComplianceResourceId { get; set; }

    /// <summary>COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, INSUFFICIENT_DATA.</summary>
    public string? ComplianceType { get; set; }

    public string? Annotation { get; set; }

    public DateTime? OrderingTimestamp { get; set; }
}

public sealed class PutEvaluationsResponse : AmazonWebServiceResponse
{
    public List<Evaluation>? FailedEvaluations { get; set; }
}

public sealed class GetComplianceDetailsByConfigRuleRequest : AmazonWebServiceRequest
{
    public string? ConfigRuleName { get; set; }

    public List<string>? ComplianceTypes { get; set; }

    public int? Limit { get; set; }

    public string? NextToken { get; set; }
}

public sealed class GetComplianceDetailsByConfigRuleResponse : AmazonWebServiceResponse
{
    public List<EvaluationResult>? EvaluationResults { get; set; }

    public string? NextToken { get; set; }
}

public sealed class EvaluationResult
{
    public EvaluationResultIdentifier? EvaluationResultIdentifier { get; set; }

    public string? ComplianceType { get; set; }

    public DateTime? ResultRecordedTime { get; set; }

    public DateTime? ConfigRuleInvokedTime { get; set; }

    public string? Annotation { get; set; }
}

public sealed class EvaluationResultIdentifier
{
    public EvaluationResultQualifier? EvaluationResultQualifier { get; set; }

    public DateTime? OrderingTimestamp { get; set; }
}

public sealed class EvaluationResultQualifier
{
    public string? ConfigRuleName { get; set; }

    public string? ResourceType { get; set; }

    public string? ResourceId { get; set; }
}

public sealed class DescribeConfigurationRecorderStatusRequest : AmazonWebServiceRequest
{
    /// <summary>Null: every recorder in the region.</summary>
    public List<string>? ConfigurationRecorderNames { get; set; }
}

public sealed class DescribeConfigurationRecorderStatusResponse : AmazonWebServiceResponse
{
    public List<ConfigurationRecorderStatus>? ConfigurationRecordersStatus { get; set; }
}

/// <summary>Unlike the rest of the Config API, this shape's members are camelCase on the wire (name, recording, lastStatus, …).</summary>
public sealed class ConfigurationRecorderStatus
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("recording")]
    public bool? Recording { get; set; }

    /// <summary>Pending, Success or Failure.</summary>
    [JsonPropertyName("lastStatus")]
    public string? LastStatus { get; set; }

    [JsonPropertyName("lastErrorCode")]
    public string? LastErrorCode { get; set; }

    [JsonPropertyName("lastErrorMessage")]
    public string? LastErrorMessage { get; set; }

    [JsonPropertyName("lastStartTime")]
    public DateTime? LastStartTime { get; set; }

    [JsonPropertyName("lastStopTime")]
    public DateTime? LastStopTime { get; set; }

    [JsonPropertyName("lastStatusChangeTime")]
    public DateTime? LastStatusChangeTime { get; set; }
}
