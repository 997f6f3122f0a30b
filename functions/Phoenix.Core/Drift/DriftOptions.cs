using Phoenix.Core.Ports;

namespace Phoenix.Core.Drift;

/// <summary>
/// The ports drift uses: the shared fleet ports plus its own dedupe store and policy source. <see cref="LoadBalancer"/> is
/// needed only by the cleanup of a stopped deployment (traffic back to the previous colour).
/// </summary>
public sealed record DriftPorts(
    IAutoScaling AutoScaling,
    IEc2 Ec2,
    INotifier Notifier,
    IDeploymentLock Lock,
    IDeploymentLedger Ledger,
    ITopologyStore Topology,
    IDriftDedupeStore Dedupe,
    IDriftPolicySource Policies,
    ILoadBalancer? LoadBalancer = null);

public sealed record DriftOptions
{
    /// <param name="topicArn">The SNS topic Chatbot listens to (env PHOENIX_DRIFT_TOPIC_ARN).</param>
    public DriftOptions(string topicArn)
    {
        TopicArn = string.IsNullOrWhiteSpace(topicArn)
            ? throw new ArgumentException("The drift topic ARN is empty (set PHOENIX_DRIFT_TOPIC_ARN).", nameof(topicArn))
            : topicArn;
    }

    public string TopicArn { get; }

    /// <summary>The same rule, resource and state alert once within this window.</summary>
    public TimeSpan DedupeWindow { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long an alert stays resolvable (the dedupe item's TTL).</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(14);

    /// <summary>The Config rule name whose NON_COMPLIANT instances are remediation candidates.</summary>
    public string ImmutableInstanceRuleName { get; init; } = "phoenix-immutable-instance";

    /// <summary>How long a replacement holds the application's lock at most (it releases as soon as it is done).</summary>
    public TimeSpan RemediationLockDuration { get; init; } = TimeSpan.FromMinutes(2);
}
