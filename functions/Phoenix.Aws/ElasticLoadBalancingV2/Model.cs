using Amazon.Runtime;

namespace Phoenix.Aws.ElasticLoadBalancingV2.Model;

public sealed class DescribeListenersRequest : AmazonWebServiceRequest
{
    public string? LoadBalancerArn { get; set; }

    public List<string>? ListenerArns { get; set; }

    public string? Marker { get; set; }

    public int? PageSize { get; set; }
}

public sealed class DescribeListenersResponse : AmazonWebServiceResponse
{
    public List<Listener>? Listeners { get; set; }

    public string? NextMarker { get; set; }
}

public sealed class Listener
{
    public string? ListenerArn { get; set; }

    public string? LoadBalancerArn { get; set; }

    public int? Port { get; set; }

    public string? Protocol { get; set; }

    public List<Action>? DefaultActions { get; set; }
}

/// <summary>
/// A listener or rule action with every configuration ELBv2 has (forward, authenticate-oidc, authenticate-cognito,
/// jwt-validation, redirect, fixed-response): Phoenix changes only forward weights and hands the rest back as read.
/// </summary>
public sealed class Action
{
    public string? Type { get; set; }

    public string? TargetGroupArn { get; set; }

    public AuthenticateOidcActionConfig? AuthenticateOidcConfig { get; set; }

    public AuthenticateCognitoActionConfig? AuthenticateCognitoConfig { get; set; }

    public int? Order { get; set; }

    public RedirectActionConfig? RedirectConfig { get; set; }

    public FixedResponseActionConfig? FixedResponseConfig { get; set; }

    public ForwardActionConfig? ForwardConfig { get; set; }

    public JwtValidationActionConfig? JwtValidationConfig { get; set; }
}

/// <summary>DescribeListeners and DescribeRules never return <see cref="ClientSecret"/>; a modify that re-sends the action sets <see cref="UseExistingClientSecret"/>.</summary>
public sealed class AuthenticateOidcActionConfig
{
    public string? Issuer { get; set; }

    public string? AuthorizationEndpoint { get; set; }

    public string? TokenEndpoint { get; set; }

    public string? UserInfoEndpoint { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public string? SessionCookieName { get; set; }

    public string? Scope { get; set; }

    public long? SessionTimeout { get; set; }

    public Dictionary<string, string>? AuthenticationRequestExtraParams { get; set; }

    public string? OnUnauthenticatedRequest { get; set; }

    public bool? UseExistingClientSecret { get; set; }
}

public sealed class AuthenticateCognitoActionConfig
{
    public string? UserPoolArn { get; set; }

    public string? UserPoolClientId { get; set; }

    public string? UserPoolDomain { get; set; }

    public string? SessionCookieName { get; set; }

    public string? Scope { get; set; }

    public long? SessionTimeout { get; set; }

    public Dictionary<string, string>? AuthenticationRequestExtraParams { get; set; }

    public string? OnUnauthenticatedRequest { get; set; }
}

public sealed class JwtValidationActionConfig
{
    public string? JwksEndpoint { get; set; }

    public string? Issuer { get; set; }

    public List<JwtValidationActionAdditionalClaim>? AdditionalClaims { get; set; }
}

public sealed class JwtValidationActionAdditionalClaim
{
    public string? Format { get; set; }

    public string? Name { get; set; }

    public List<string>? Values { get; set; }
}

public sealed class RedirectActionConfig
{
    public string? Protocol { get; set; }

    public string? Port { get; set; }

    public string? Host { get; set; }

    public string? Path { get; set; }

    public string? Query { get; set; }

    public string? StatusCode { get; set; }
}

public sealed class FixedResponseActionConfig
{
    public string? MessageBody { get; set; }

    public string? StatusCode { get; set; }

    public string? ContentType { get; set; }
}

public sealed class ForwardActionConfig
{
    public List<TargetGroupTuple>? TargetGroups { get; set; }

    public TargetGroupStickinessConfig? TargetGroupStickinessConfig { get; set; }
}

public sealed class TargetGroupTuple
{
    public string? TargetGroupArn { get; set; }

    public int? Weight { get; set; }
}

public sealed class TargetGroupStickinessConfig
{
    public bool? Enabled { get; set; }

    public int? DurationSeconds { get; set; }
}

public sealed class ModifyListenerRequest : AmazonWebServiceRequest
{
    public string? ListenerArn { get; set; }

    public List<Action>? DefaultActions { get; set; }
}

public sealed class ModifyListenerResponse : AmazonWebServiceResponse
{
    public List<Listener>? Listeners { get; set; }
}

public sealed class DescribeRulesRequest : AmazonWebServiceRequest
{
    public string? ListenerArn { get; set; }

    public List<string>? RuleArns { get; set; }

    public string? Marker { get; set; }

    public int? PageSize { get; set; }
}

public sealed class DescribeRulesResponse : AmazonWebServiceResponse
{
    public List<Rule>? Rules { get; set; }

    public string? NextMarker { get; set; }
}

/// <summary>A listener rule; Phoenix reads its conditions for display and never sends them back (ModifyRule leaves them as they are).</summary>
public sealed class Rule
{
    public string? RuleArn { get; set; }

    public string? Priority { get; set; }

    public List<RuleCondition>? Conditions { get; set; }

    public List<Action>? Actions { get; set; }

    public bool? IsDefault { get; set; }
}

public sealed class RuleCondition
{
    public string? Field { get; set; }

    public List<string>? Values { get; set; }

    public ValuesConditionConfig? HostHeaderConfig { get; set; }

    public ValuesConditionConfig? PathPatternConfig { get; set; }

    public HttpHeaderConditionConfig? HttpHeaderConfig { get; set; }

    public QueryStringConditionConfig? QueryStringConfig { get; set; }

    public ValuesConditionConfig? HttpRequestMethodConfig { get; set; }

    public SourceIpConditionConfig? SourceIpConfig { get; set; }

    public List<string>? RegexValues { get; set; }
}

/// <summary>The shape HostHeaderConfig, PathPatternConfig and HttpRequestMethodConfig share (the last has no RegexValues).</summary>
public sealed class ValuesConditionConfig
{
    public List<string>? Values { get; set; }

    public List<string>? RegexValues { get; set; }
}

public sealed class HttpHeaderConditionConfig
{
    public string? HttpHeaderName { get; set; }

    public List<string>? Values { get; set; }

    public List<string>? RegexValues { get; set; }
}

public sealed class QueryStringConditionConfig
{
    public List<QueryStringKeyValuePair>? Values { get; set; }
}

public sealed class QueryStringKeyValuePair
{
    public string? Key { get; set; }

    public string? Value { get; set; }
}

public sealed class SourceIpConditionConfig
{
    public List<string>? Values { get; set; }

    public string? IpAddressType { get; set; }
}

/// <summary>Actions only: no Conditions and no Transforms, so ELBv2 leaves both as they are.</summary>
public sealed class ModifyRuleRequest : AmazonWebServiceRequest
{
    public string? RuleArn { get; set; }

    public List<Action>? Actions { get; set; }
}

public sealed class ModifyRuleResponse : AmazonWebServiceResponse
{
    public List<Rule>? Rules { get; set; }
}

public sealed class DescribeTargetGroupsRequest : AmazonWebServiceRequest
{
    public string? LoadBalancerArn { get; set; }

    public List<string>? TargetGroupArns { get; set; }

    public List<string>? Names { get; set; }

    public string? Marker { get; set; }

    public int? PageSize { get; set; }
}

public sealed class DescribeTargetGroupsResponse : AmazonWebServiceResponse
{
    public List<TargetGroup>? TargetGroups { get; set; }

    public string? NextMarker { get; set; }
}

public sealed class TargetGroup
{
    public string? TargetGroupArn { get; set; }

    public string? TargetGroupName { get; set; }

    public string? Protocol { get; set; }

    public int? Port { get; set; }

    public string? VpcId { get; set; }

    public string? HealthCheckProtocol { get; set; }

    public string? HealthCheckPort { get; set; }

    public bool? HealthCheckEnabled { get; set; }

    public int? HealthCheckIntervalSeconds { get; set; }

    public int? HealthCheckTimeoutSeconds { get; set; }

    public int? HealthyThresholdCount { get; set; }

    public int? UnhealthyThresholdCount { get; set; }

    public string? HealthCheckPath { get; set; }

    public Matcher? Matcher { get; set; }

    public List<string>? LoadBalancerArns { get; set; }

    public string? TargetType { get; set; }

    public string? ProtocolVersion { get; set; }

    public string? IpAddressType { get; set; }
}

/// <summary>The health check's success codes: HttpCode for HTTP/HTTPS, GrpcCode for gRPC.</summary>
public sealed class Matcher
{
    public string? HttpCode { get; set; }

    public string? GrpcCode { get; set; }
}

/// <summary>Only the members Phoenix copies from an existing target group (CreateTargetGroup takes more).</summary>
public sealed class CreateTargetGroupRequest : AmazonWebServiceRequest
{
    public string? Name { get; set; }

    public string? Protocol { get; set; }

    public string? ProtocolVersion { get; set; }

    public int? Port { get; set; }

    public string? VpcId { get; set; }

    public string? HealthCheckProtocol { get; set; }

    public string? HealthCheckPort { get; set; }

    public bool? HealthCheckEnabled { get; set; }

    public string? HealthCheckPath { get; set; }

    public int? HealthCheckIntervalSeconds { get; set; }

    public int? HealthCheckTimeoutSeconds { get; set; }

    public int? HealthyThresholdCount { get; set; }

    public int? UnhealthyThresholdCount { get; set; }

    public Matcher? Matcher { get; set; }

    public string? TargetType { get; set; }

    public List<Tag>? Tags { get; set; }

    public string? IpAddressType { get; set; }
}

public sealed class CreateTargetGroupResponse : AmazonWebServiceResponse
{
    public List<TargetGroup>? TargetGroups { get; set; }
}

public sealed class Tag
{
    public string? Key { get; set; }

    public string? Value { get; set; }
}

public sealed class DeleteTargetGroupRequest : AmazonWebServiceRequest
{
    public string? TargetGroupArn { get; set; }
}

public sealed class DeleteTargetGroupResponse : AmazonWebServiceResponse;

/// <summary>Tags load balancers, target groups, listeners and rules; an existing key takes the new value.</summary>
public sealed class AddTagsRequest : AmazonWebServiceRequest
{
    public List<string>? ResourceArns { get; set; }

    public List<Tag>? Tags { get; set; }
}

public sealed class AddTagsResponse : AmazonWebServiceResponse;

public sealed class DescribeTargetHealthRequest : AmazonWebServiceRequest
{
    public string? TargetGroupArn { get; set; }

    public List<TargetDescription>? Targets { get; set; }
}

public sealed class DescribeTargetHealthResponse : AmazonWebServiceResponse
{
    public List<TargetHealthDescription>? TargetHealthDescriptions { get; set; }
}

public sealed class TargetDescription
{
    public string? Id { get; set; }

    public int? Port { get; set; }

    public string? AvailabilityZone { get; set; }
}

public sealed class TargetHealthDescription
{
    public TargetDescription? Target { get; set; }

    public string? HealthCheckPort { get; set; }

    public TargetHealth? TargetHealth { get; set; }
}

public sealed class TargetHealth
{
    public string? State { get; set; }

    public string? Reason { get; set; }

    public string? Description { get; set; }
}
