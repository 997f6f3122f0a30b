using Phoenix.Aws.ElasticLoadBalancingV2;
using Phoenix.Core.Ports;
using Model = Phoenix.Aws.ElasticLoadBalancingV2.Model;

namespace Phoenix.Aws.Adapters;

public sealed class LoadBalancerAdapter(AmazonElasticLoadBalancingV2Client client) : ILoadBalancer
{
    public Task<IReadOnlyList<TargetGroupWeight>> DescribeListenerWeightsAsync(string listenerArn, CancellationToken cancellationToken) =>
        AwsCall.RunAsync<IReadOnlyList<TargetGroupWeight>>($"DescribeListeners {listenerArn}", async () =>
        {
            var response = await client.DescribeListenersAsync(new Model.DescribeListenersRequest { ListenerArns = [listenerArn] }, cancellationToken)
                .ConfigureAwait(false);
            var listener = response.Listeners?.FirstOrDefault(l => l.ListenerArn == listenerArn)
                ?? throw new InvalidOperationException($"DescribeListeners returned no listener '{listenerArn}'.");
            var forward = listener.DefaultActions?.FirstOrDefault(a => a.Type == "forward")
                ?? throw new InvalidOperationException($"Listener '{listenerArn}' has no forward default action.");

            // ELBv2 reports a plain forward both as TargetGroupArn and as a one-group ForwardConfig; a weight it omits is 1.
            if (forward.ForwardConfig?.TargetGroups is { Count: > 0 } groups)
            {
                return groups.Select(g => new TargetGroupWeight(g.TargetGroupArn!, g.Weight ?? 1)).ToList();
            }

            return [new TargetGroupWeight(forward.TargetGroupArn!, 1)];
        }, cancellationToken);

    public Task ModifyListenerWeightsAsync(string listenerArn, IReadOnlyList<TargetGroupWeight> weights, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return AwsCall.RunAsync($"ModifyListener {listenerArn}", () => client.ModifyListenerAsync(
            new Model.ModifyListenerRequest
            {
                ListenerArn = listenerArn,
                DefaultActions =
                [
                    new Model.Action
                    {
                        Type = "forward",
                        ForwardConfig = new Model.ForwardActionConfig
                        {
                            TargetGroups = weights.Select(w => new Model.TargetGroupTuple { TargetGroupArn = w.TargetGroupArn, Weight = w.Weight }).ToList(),
                        },
                    },
                ],
            },
            cancellationToken), cancellationToken);
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
