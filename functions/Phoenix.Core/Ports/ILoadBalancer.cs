namespace Phoenix.Core.Ports;

/// <summary>
/// ELBv2 operations Phoenix uses: the listener's default actions and its rules (DescribeListeners, ModifyListener,
/// DescribeRules, ModifyRule) and target health. Phoenix owns only the weights of forwards to its two target groups; every
/// change is a read-modify-write that hands back every other action and setting exactly as read.
/// </summary>
public interface ILoadBalancer
{
    /// <summary>The listener's default actions, in the API's order. Throws when the listener does not exist.</summary>
    Task<IReadOnlyList<ListenerAction>> DescribeListenerActionsAsync(string listenerArn, CancellationToken cancellationToken);

    /// <summary>Replaces the listener's default actions (ModifyListener DefaultActions); nothing else of the listener changes.</summary>
    Task ModifyListenerActionsAsync(string listenerArn, IReadOnlyList<ListenerAction> defaultActions, CancellationToken cancellationToken);

    /// <summary>Every rule of the listener, including the default rule (<see cref="ListenerRule.IsDefault"/>).</summary>
    Task<IReadOnlyList<ListenerRule>> DescribeRulesAsync(string listenerArn, CancellationToken cancellationToken);

    /// <summary>Replaces a rule's actions (ModifyRule Actions); its conditions and priority stay as they are.</summary>
    Task ModifyRuleActionsAsync(string ruleArn, IReadOnlyList<ListenerAction> actions, CancellationToken cancellationToken);

    Task<IReadOnlyList<TargetHealthDescription>> DescribeTargetHealthAsync(string targetGroupArn, CancellationToken cancellationToken);

    /// <summary>DescribeListeners for one listener: its load balancer, protocol, port and default actions. Null when it does not exist.</summary>
    Task<ListenerDescription?> DescribeListenerAsync(string listenerArn, CancellationToken cancellationToken);

    /// <summary>DescribeTargetGroups by ARN (<paramref name="byName"/> false) or by name (true). Null when there is none.</summary>
    Task<TargetGroupDescription?> DescribeTargetGroupAsync(string arnOrName, bool byName, CancellationToken cancellationToken);

    /// <summary>
    /// CreateTargetGroup with these settings and tags; returns its ARN. ELBv2 answers a create of an existing name with the
    /// same settings with that group (and refuses different settings with DuplicateTargetGroupName).
    /// </summary>
    Task<string> CreateTargetGroupAsync(TargetGroupSettings settings, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken);

    /// <summary>DeleteTargetGroup (adopt's rollback of a target group it created; ELBv2 refuses one a listener still uses).</summary>
    Task DeleteTargetGroupAsync(string targetGroupArn, CancellationToken cancellationToken);

    /// <summary>
    /// AddTags on listeners, rules, target groups or load balancers (at most 20 ARNs a call). A key the resource already has
    /// takes the new value, so the same call again changes nothing.
    /// </summary>
    Task AddTagsAsync(IReadOnlyList<string> resourceArns, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken);
}

/// <summary>A listener as DescribeListeners reports it. Protocol: HTTP, HTTPS (Application LB); TCP, TLS, UDP, TCP_UDP (Network LB); GENEVE (Gateway LB).</summary>
public sealed record ListenerDescription(string ListenerArn, string LoadBalancerArn, string Protocol, int Port, IReadOnlyList<ListenerAction> DefaultActions);

/// <summary>
/// What CreateTargetGroup takes and DescribeTargetGroups reports, as far as Phoenix copies a target group: where it sends
/// traffic and how it checks health. Null members are left to ELBv2's defaults.
/// </summary>
public sealed record TargetGroupSettings(
    string Name,
    string? Protocol,
    string? ProtocolVersion,
    int? Port,
    string? VpcId,
    string? TargetType,
    bool? HealthCheckEnabled,
    string? HealthCheckProtocol,
    string? HealthCheckPort,
    string? HealthCheckPath,
    int? HealthCheckIntervalSeconds,
    int? HealthCheckTimeoutSeconds,
    int? HealthyThresholdCount,
    int? UnhealthyThresholdCount,
    string? MatcherHttpCode,
    string? MatcherGrpcCode,
    string? IpAddressType);

/// <summary>A target group: its ARN, its settings and the load balancers that route to it.</summary>
public sealed record TargetGroupDescription(string TargetGroupArn, TargetGroupSettings Settings, IReadOnlyList<string> LoadBalancerArns);

/// <summary>
/// One listener or rule action. <see cref="Forward"/> is set for type <c>forward</c> (a plain TargetGroupArn forward is
/// reported as a one-group forward of weight 1, as ELBv2 itself does). <see cref="Configuration"/> is everything else of
/// the action (authenticate-oidc/cognito, fixed-response, redirect configuration) in the adapter's own encoding: Core never
/// reads it, only hands it back unchanged, so whatever Phoenix does not own survives every change.
/// </summary>
public sealed record ListenerAction(string Type, int? Order, ForwardAction? Forward = null, string? Configuration = null);

/// <summary>A forward's target groups with their weights and the forward's own stickiness (TargetGroupStickinessConfig).</summary>
public sealed record ForwardAction(IReadOnlyList<TargetGroupWeight> TargetGroups, bool StickinessEnabled = false, int? StickinessDurationSeconds = null);

/// <summary>A listener rule. <see cref="Conditions"/> is the adapter's encoding of the rule's conditions, for display and comparison only.</summary>
public sealed record ListenerRule(string RuleArn, string Priority, bool IsDefault, IReadOnlyList<ListenerAction> Actions, string? Conditions = null);

public sealed record TargetGroupWeight(string TargetGroupArn, int Weight);

/// <summary>State: initial, healthy, unhealthy, unused, draining, unavailable (the API's strings).
/// Reason: e.g. Elb.RegistrationInProgress, Target.FailedHealthChecks.</summary>
public sealed record TargetHealthDescription(string TargetId, string State, string? Reason);

/// <summary>Reads and writes of the weights Phoenix owns, done as read-modify-write over the full actions.</summary>
public static class LoadBalancerWeights
{
    /// <summary>The weights of the listener's default forward action. Throws when it has none.</summary>
    public static async Task<IReadOnlyList<TargetGroupWeight>> DescribeListenerWeightsAsync(
        this ILoadBalancer loadBalancer, string listenerArn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loadBalancer);
        var actions = await loadBalancer.DescribeListenerActionsAsync(listenerArn, cancellationToken);
        return ForwardOf(actions, listenerArn).TargetGroups;
    }

    /// <summary>
    /// Sets the weights of the listener's default forward and leaves every other action, the forward's stickiness and the
    /// actions' order exactly as read.
    /// </summary>
    public static async Task ModifyListenerWeightsAsync(
        this ILoadBalancer loadBalancer, string listenerArn, IReadOnlyList<TargetGroupWeight> weights, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loadBalancer);
        var actions = await loadBalancer.DescribeListenerActionsAsync(listenerArn, cancellationToken);
        ForwardOf(actions, listenerArn);
        await loadBalancer.ModifyListenerActionsAsync(listenerArn, WithWeights(actions, weights), cancellationToken);
    }

    /// <summary>The same actions with the forward's target groups replaced by <paramref name="weights"/>.</summary>
    public static IReadOnlyList<ListenerAction> WithWeights(IReadOnlyList<ListenerAction> actions, IReadOnlyList<TargetGroupWeight> weights)
    {
        ArgumentNullException.ThrowIfNull(actions);
        return actions
            .Select(a => a.Forward is { } forward ? a with { Forward = forward with { TargetGroups = weights } } : a)
            .ToList();
    }

    private static ForwardAction ForwardOf(IReadOnlyList<ListenerAction> actions, string listenerArn)
    {
        var forwards = actions.Where(a => a.Forward is not null).ToList();
        return forwards.Count == 1
            ? forwards[0].Forward!
            : throw new InvalidOperationException(
                $"Listener '{listenerArn}' has {forwards.Count} forward default actions; Phoenix needs exactly one.");
    }
}
