namespace Phoenix.Core.Ports;

/// <summary>ELBv2 operations Phoenix uses: the listener's weighted forward action and target health.</summary>
public interface ILoadBalancer
{
    /// <summary>The listener's default forward action as target group weights. Throws when the listener does not exist.</summary>
    Task<IReadOnlyList<TargetGroupWeight>> DescribeListenerWeightsAsync(string listenerArn, CancellationToken cancellationToken);

    /// <summary>Replaces the default action with a weighted forward to these target groups.</summary>
    Task ModifyListenerWeightsAsync(string listenerArn, IReadOnlyList<TargetGroupWeight> weights, CancellationToken cancellationToken);

    Task<IReadOnlyList<TargetHealthDescription>> DescribeTargetHealthAsync(string targetGroupArn, CancellationToken cancellationToken);
}

public sealed record TargetGroupWeight(string TargetGroupArn, int Weight);

/// <summary>State: initial, healthy, unhealthy, unused, draining, unavailable (the API's strings).
/// Reason: e.g. Elb.RegistrationInProgress, Target.FailedHealthChecks.</summary>
public sealed record TargetHealthDescription(string TargetId, string State, string? Reason);
