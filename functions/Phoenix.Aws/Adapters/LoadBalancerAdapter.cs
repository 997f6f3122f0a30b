using Phoenix.Aws.ElasticLoadBalancingV2;
using Phoenix.Core.Ports;
using Model = Phoenix.Aws.ElasticLoadBalancingV2.Model;

namespace Phoenix.Aws.Adapters;

public sealed class LoadBalancerAdapter(AmazonElasticLoadBalancingV2Client client) : ILoadBalancer
{
    public Task<IReadOnlyList<ListenerAction>> DescribeListenerActionsAsync(string listenerArn, CancellationToken cancellationToken) =>
        AwsCall.RunAsync<IReadOnlyList<ListenerAction>>($"DescribeListeners {listenerArn}", async () =>
        {
            var response = await client.DescribeListenersAsync(new Model.DescribeListenersRequest { ListenerArns = [listenerArn] }, cancellationToken)
                .ConfigureAwait(false);
            var listener = response.Listeners?.FirstOrDefault(l => l.ListenerArn == listenerArn)
                ?? throw new InvalidOperationException($"DescribeListeners returned no listener '{listenerArn}'.");
            return (listener.DefaultActions ?? []).Select(ToPort).ToList();
        }, cancellationToken);

    // Until the adapter work of issue 11 carries every action's configuration, a listener with anything but forward
    // actions is refused rather than silently rewritten without them.
    public Task ModifyListenerActionsAsync(string listenerArn, IReadOnlyList<ListenerAction> defaultActions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(defaultActions);
        if (defaultActions.Any(a => a.Forward is null))
        {
            throw new NotSupportedException($"Listener '{listenerArn}' has non-forward default actions, which this adapter cannot carry through yet.");
        }

        return AwsCall.RunAsync($"ModifyListener {listenerArn}", () => client.ModifyListenerAsync(
            new Model.ModifyListenerRequest
            {
                ListenerArn = listenerArn,
                DefaultActions = defaultActions.Select(a => new Model.Action
                {
                    Type = "forward",
                    Order = a.Order,
                    ForwardConfig = new Model.ForwardActionConfig
                    {
                        TargetGroups = a.Forward!.TargetGroups.Select(w => new Model.TargetGroupTuple { TargetGroupArn = w.TargetGroupArn, Weight = w.Weight }).ToList(),
                    },
                }).ToList(),
            },
            cancellationToken), cancellationToken);
    }

    public Task<IReadOnlyList<ListenerRule>> DescribeRulesAsync(string listenerArn, CancellationToken cancellationToken) =>
        throw new NotSupportedException("DescribeRules is not implemented yet.");

    public Task ModifyRuleActionsAsync(string ruleArn, IReadOnlyList<ListenerAction> actions, CancellationToken cancellationToken) =>
        throw new NotSupportedException("ModifyRule is not implemented yet.");

    // ELBv2 reports a plain forward both as TargetGroupArn and as a one-group ForwardConfig; a weight it omits is 1.
    private static ListenerAction ToPort(Model.Action action)
    {
        if (action.Type != "forward")
        {
            return new ListenerAction(action.Type ?? string.Empty, action.Order);
        }

        IReadOnlyList<TargetGroupWeight> groups = action.ForwardConfig?.TargetGroups is { Count: > 0 } tuples
            ? tuples.Select(g => new TargetGroupWeight(g.TargetGroupArn!, g.Weight ?? 1)).ToList()
            : [new TargetGroupWeight(action.TargetGroupArn!, 1)];
        return new ListenerAction("forward", action.Order, new ForwardAction(groups));
    }

    public Task<IReadOnlyList<TargetHealthDescription>> DescribeTargetHealthAsync(string targetGroupArn, CancellationToken cancellationToken) =>
        AwsCall.RunAsync<IReadOnlyList<TargetHealthDescription>>($"DescribeTargetHealth {targetGroupArn}", async () =>
        {
            var response = await client.DescribeTargetHealthAsync(new Model.DescribeTargetHealthRequest { TargetGroupArn = targetGroupArn }, cancellationToken)
                .ConfigureAwait(false);
            return (response.TargetHealthDescriptions ?? [])
                .Select(d => new TargetHealthDescription(d.Target?.Id ?? string.Empty, d.TargetHealth?.State ?? "unavailable", d.TargetHealth?.Reason))
                .ToList();
        }, cancellationToken);
}
