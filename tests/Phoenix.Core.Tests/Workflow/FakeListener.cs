using Phoenix.Core.Ports;

namespace Phoenix.Core.Tests.Workflow;

/// <summary>
/// A listener as ELBv2 keeps it: default actions (an authenticate-oidc action before the forward, stickiness on the forward)
/// and rules with conditions, modified only through the port, with every call counted. Target health is delegated, so a
/// simulated region can still answer it.
/// </summary>
internal sealed class FakeListener(ILoadBalancer? health = null) : ILoadBalancer
{
    public const string OidcConfiguration = """{"Issuer":"https://idp.example.com","ClientId":"phoenix"}""";

    private readonly Dictionary<string, ListenerRule> _rules = new(StringComparer.Ordinal);

    public IReadOnlyList<ListenerAction> DefaultActions { get; private set; } = [];

    public IReadOnlyList<ListenerRule> Rules => [.. _rules.Values];

    public int RuleModifications { get; private set; }

    /// <summary>authenticate-oidc (order 1), then a sticky forward (order 2) with these weights.</summary>
    public FakeListener WithDefault(params TargetGroupWeight[] weights)
    {
        DefaultActions =
        [
            new ListenerAction("authenticate-oidc", 1, Configuration: OidcConfiguration),
            new ListenerAction("forward", 2, new ForwardAction(weights, StickinessEnabled: true, StickinessDurationSeconds: 3600)),
        ];
        return this;
    }

    public FakeListener WithRule(string ruleArn, string conditions, params ListenerAction[] actions)
    {
        _rules[ruleArn] = new ListenerRule(ruleArn, (_rules.Count + 10).ToString(System.Globalization.CultureInfo.InvariantCulture), IsDefault: false, actions, conditions);
        return this;
    }

    public ListenerRule Rule(string ruleArn) => _rules[ruleArn];

    /// <summary>When set, DescribeListener answers this instead, as a describe served from before a recent change would.</summary>
    public IReadOnlyList<ListenerAction>? StaleDefaultActions { get; set; }

    public Task<IReadOnlyList<ListenerAction>> DescribeListenerActionsAsync(string listenerArn, CancellationToken cancellationToken) =>
        Task.FromResult(StaleDefaultActions ?? DefaultActions);

    public Task ModifyListenerActionsAsync(string listenerArn, IReadOnlyList<ListenerAction> defaultActions, CancellationToken cancellationToken)
    {
        DefaultActions = [.. defaultActions];
        StaleDefaultActions = null;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ListenerRule>> DescribeRulesAsync(string listenerArn, CancellationToken cancellationToken)
    {
        // ELBv2 lists the default rule too, carrying the default actions.
        IReadOnlyList<ListenerRule> rules = [.. _rules.Values, new ListenerRule(listenerArn + "/default", "default", IsDefault: true, DefaultActions)];
        return Task.FromResult(rules);
    }

    public Task ModifyRuleActionsAsync(string ruleArn, IReadOnlyList<ListenerAction> actions, CancellationToken cancellationToken)
    {
        RuleModifications++;
        var rule = _rules.TryGetValue(ruleArn, out var found) ? found : throw new InvalidOperationException($"RuleNotFound: {ruleArn}");
        _rules[ruleArn] = rule with { Actions = [.. actions] };
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<TargetHealthDescription>> DescribeTargetHealthAsync(string targetGroupArn, CancellationToken cancellationToken) =>
        health?.DescribeTargetHealthAsync(targetGroupArn, cancellationToken) ?? Task.FromResult<IReadOnlyList<TargetHealthDescription>>([]);

    public Task<ListenerDescription?> DescribeListenerAsync(string listenerArn, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<TargetGroupDescription?> DescribeTargetGroupAsync(string arnOrName, bool byName, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string> CreateTargetGroupAsync(TargetGroupSettings settings, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task DeleteTargetGroupAsync(string targetGroupArn, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task AddTagsAsync(IReadOnlyList<string> resourceArns, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <summary>The weights of a forward among <paramref name="actions"/>, as "arn=weight" in order.</summary>
    public static string Weights(IReadOnlyList<ListenerAction> actions) =>
        string.Join(",", actions.Single(a => a.Forward is not null).Forward!.TargetGroups.Select(t => $"{t.TargetGroupArn}={t.Weight}"));
}
