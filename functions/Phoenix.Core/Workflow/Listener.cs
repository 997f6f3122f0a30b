using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

/// <summary>
/// Every change Phoenix makes to an application's listener. One listener per application stays the model: the topology
/// names one listener, and the weights of its default forward are the only record of which colour is live. Phoenix owns
/// only the weights of forwards to its two target groups and changes them read-modify-write: other actions
/// (authenticate-oidc/cognito, fixed-response), the actions' order, the forward's stickiness and every rule's conditions
/// and priority are handed back exactly as read.
/// <para>
/// Listener rules (path or host routes) whose forward goes only to the blue and/or green target group follow the default
/// action: every change gives them the same weights, so a route to the live colour moves with it, canary steps included,
/// and moves back on rollback. Rules change before the default action, which changes last because it is what the next
/// deployment reads. A rule that cannot follow safely (a colour plus a third target group, several forwards, or a split
/// that differs from the default action's, such as a route to the idle colour only) is refused by Validate through
/// <see cref="UnmovableRules"/> before anything changes.
/// </para>
/// </summary>
internal static class Listener
{
    /// <summary>Sends <paramref name="weight"/>% to <paramref name="colour"/> and the rest to the other colour.</summary>
    public static Task SetWeightsAsync(ILoadBalancer loadBalancer, FleetTopology topology, Colour colour, int weight, CancellationToken cancellationToken)
    {
        var colourWeight = new TargetGroupWeight(topology.For(colour).TargetGroupArn, weight);
        var otherWeight = new TargetGroupWeight(topology.For(colour.Other()).TargetGroupArn, 100 - weight);
        TargetGroupWeight[] weights = colour == Colour.Blue ? [colourWeight, otherWeight] : [otherWeight, colourWeight];
        return SetAsync(loadBalancer, topology.ListenerArn, weights, cancellationToken);
    }

    /// <summary>
    /// Gives the listener's default forward, and every rule forwarding only to target groups of <paramref name="weights"/>,
    /// these weights. Every write is made even when the read says the weights are already there: a describe may answer
    /// from before a change made seconds ago (the simulated region's describe lag), and a skipped write would leave traffic
    /// where the caller (a rollback about to scale that colour to 0) believes it is not. Writing the same absolute weights
    /// again changes nothing, so a retry is still safe.
    /// </summary>
    public static async Task SetAsync(ILoadBalancer loadBalancer, string listenerArn, IReadOnlyList<TargetGroupWeight> weights, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loadBalancer);
        ArgumentNullException.ThrowIfNull(weights);
        var managed = weights.Select(w => w.TargetGroupArn).ToHashSet(StringComparer.Ordinal);
        // All-zero weights (undoing a first deployment: nothing was live) would leave a route nowhere to send its requests:
        // rules keep what they had.
        var rules = weights.Any(w => w.Weight > 0) ? await loadBalancer.DescribeRulesAsync(listenerArn, cancellationToken) : [];
        foreach (var rule in rules.Where(r => !r.IsDefault))
        {
            var forwards = rule.Actions.Where(a => a.Forward is not null).ToList();
            if (forwards.Count != 1 || !forwards[0].Forward!.TargetGroups.All(t => managed.Contains(t.TargetGroupArn)))
            {
                // Not a route to the colours alone: not Phoenix's to change (Validate refuses the ones that mix).
                continue;
            }

            await loadBalancer.ModifyRuleActionsAsync(rule.RuleArn, LoadBalancerWeights.WithWeights(rule.Actions, weights), cancellationToken);
        }

        var actions = await loadBalancer.DescribeListenerActionsAsync(listenerArn, cancellationToken);
        _ = DefaultForward(actions, listenerArn); // exactly one forward, or a clear error before anything is written
        await loadBalancer.ModifyListenerActionsAsync(listenerArn, LoadBalancerWeights.WithWeights(actions, weights), cancellationToken);
    }

    /// <summary>
    /// The listener rules a deployment could not move with the live colour, one line each naming the rule ARN, given the
    /// listener's default actions and rules and the application's two target groups.
    /// </summary>
    public static IReadOnlyList<string> UnmovableRules(FleetTopology topology, IReadOnlyList<ListenerAction> defaultActions, IReadOnlyList<ListenerRule> rules)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(defaultActions);
        ArgumentNullException.ThrowIfNull(rules);
        string[] colours = [topology.Blue.TargetGroupArn, topology.Green.TargetGroupArn];
        var defaultForward = defaultActions.Where(a => a.Forward is not null).Select(a => a.Forward!).FirstOrDefault();
        var problems = new List<string>();
        foreach (var rule in rules.Where(r => !r.IsDefault))
        {
            var forwards = rule.Actions.Where(a => a.Forward is not null).Select(a => a.Forward!).ToList();
            var ours = forwards.Where(f => f.TargetGroups.Any(t => colours.Contains(t.TargetGroupArn))).ToList();
            if (ours.Count == 0)
            {
                continue;
            }

            var forward = ours[0];
            if (forwards.Count > 1)
            {
                problems.Add($"rule '{rule.RuleArn}' (priority {rule.Priority}) has {forwards.Count} forward actions, one of them to a target group of '{topology.Application}'");
            }
            else if (forward.TargetGroups.FirstOrDefault(t => !colours.Contains(t.TargetGroupArn)) is { } third)
            {
                problems.Add($"rule '{rule.RuleArn}' (priority {rule.Priority}) forwards to a target group of '{topology.Application}' and to '{third.TargetGroupArn}', "
                    + "which Phoenix does not own; its weights could not move with the live colour");
            }
            else if (defaultForward is not null && !SameSplit(forward.TargetGroups, defaultForward.TargetGroups, colours))
            {
                problems.Add($"rule '{rule.RuleArn}' (priority {rule.Priority}) splits traffic {Describe(forward.TargetGroups)} unlike the listener's default action "
                    + $"{Describe(defaultForward.TargetGroups)}; a route to the idle colour would get traffic before it is healthy");
            }
        }

        return problems;
    }

    private static ForwardAction DefaultForward(IReadOnlyList<ListenerAction> actions, string listenerArn)
    {
        var forwards = actions.Where(a => a.Forward is not null).ToList();
        return forwards.Count == 1
            ? forwards[0].Forward!
            : throw new FleetInconsistent($"Listener '{listenerArn}' has {forwards.Count} forward default actions; Phoenix needs exactly one.");
    }

    /// <summary>Whether both forwards send the same share of traffic to each colour (a plain forward to blue is blue=1).</summary>
    private static bool SameSplit(IReadOnlyList<TargetGroupWeight> a, IReadOnlyList<TargetGroupWeight> b, string[] colours)
    {
        long sumA = a.Sum(t => t.Weight);
        long sumB = b.Sum(t => t.Weight);
        return colours.All(arn => WeightOf(a, arn) * sumB == WeightOf(b, arn) * sumA);
    }

    private static long WeightOf(IReadOnlyList<TargetGroupWeight> weights, string targetGroupArn) =>
        weights.Where(w => w.TargetGroupArn == targetGroupArn).Sum(w => (long)w.Weight);

    private static string Describe(IReadOnlyList<TargetGroupWeight> weights) =>
        "{" + string.Join(", ", weights.Select(w => $"{w.TargetGroupArn}={w.Weight}")) + "}";
}
