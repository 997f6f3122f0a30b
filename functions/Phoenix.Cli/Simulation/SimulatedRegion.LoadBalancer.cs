using System.Text;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Cli.Simulation;

// Elastic Load Balancing v2: target groups with health checks and deregistration delay, a listener's default actions
// and rules with ELBv2's validation, and what the listener sends where.
public sealed partial class SimulatedRegion
{
    private static readonly HashSet<string> ActionTypes = new(StringComparer.Ordinal)
    {
        "forward", "authenticate-oidc", "authenticate-cognito", "redirect", "fixed-response",
    };

    private readonly Dictionary<string, SimTargetGroup> _targetGroups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimListener> _listeners = new(StringComparer.Ordinal);
    private bool _alarmAfterSwapArmed;

    /// <summary>
    /// Everything about a listener except the weights of forwards to Phoenix's target groups (which target groups
    /// those forwards name, too, since a rule moves from one colour to the other): action types, orders, configurations,
    /// stickiness, other target groups and their weights, rules with their priorities and conditions. Two equal strings
    /// mean nothing Phoenix does not own has changed.
    /// </summary>
    public string ListenerSettings(string listenerArn)
    {
        lock (_gate)
        {
            var listener = RequireListener(listenerArn);
            var owned = _topologies.Values.SelectMany(t => new[] { t.Blue.TargetGroupArn, t.Green.TargetGroupArn }).ToHashSet(StringComparer.Ordinal);
            var text = new StringBuilder();
            void Actions(IReadOnlyList<ListenerAction> actions)
            {
                foreach (var a in actions)
                {
                    text.Append("  ").Append(a.Type).Append(" order=").Append(a.Order?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-");
                    if (a.Configuration is { } configuration)
                    {
                        text.Append(" config=").Append(configuration);
                    }

                    if (a.Forward is { } forward)
                    {
                        text.Append(" stickiness=").Append(forward.StickinessEnabled).Append('/').Append(forward.StickinessDurationSeconds);
                        foreach (var tg in forward.TargetGroups.Where(t => !owned.Contains(t.TargetGroupArn)))
                        {
                            text.Append(' ').Append(ShortTargetGroup(tg.TargetGroupArn)).Append('=').Append(tg.Weight);
                        }

                        text.Append(forward.TargetGroups.Any(t => owned.Contains(t.TargetGroupArn)) ? " +phoenix" : "");
                    }

                    text.AppendLine();
                }
            }

            text.AppendLine("default:");
            Actions(listener.DefaultActions);
            foreach (var rule in listener.Rules.OrderBy(r => r.Priority))
            {
                text.Append("rule ").Append(rule.Priority).Append(' ').AppendLine(rule.Conditions);
                Actions(rule.Actions);
            }

            return text.ToString();
        }
    }

    private void CreateListener(string listenerArn, string application, string blueArn, string greenArn, ListenerSpec spec)
    {
        // A listener ARN is its load balancer's with ":listener/" and one more id segment.
        var loadBalancerArn = listenerArn[..listenerArn.LastIndexOf('/')].Replace(":listener/", ":loadbalancer/", StringComparison.Ordinal);
        var listener = new SimListener(listenerArn) { LoadBalancerArn = loadBalancerArn };
        var order = 1;
        ListenerAction? authenticate = spec.OidcConfiguration is { } oidc ? new ListenerAction("authenticate-oidc", order++, Configuration: oidc) : null;
        var forward = new ListenerAction("forward", order, new ForwardAction(
            [new TargetGroupWeight(blueArn, 100), new TargetGroupWeight(greenArn, 0)],
            spec.StickinessSeconds is not null,
            spec.StickinessSeconds));
        listener.DefaultActions = authenticate is null ? [forward] : [authenticate, forward];
        if (spec.Rules)
        {
            var staticArn = AddTargetGroup(TargetGroupSettingsFor($"{application}-static"));
            string RuleArn() => listenerArn.Replace(":listener/", ":listener-rule/", StringComparison.Ordinal) + "/" + NextHex(16);
            IReadOnlyList<ListenerAction> api = authenticate is null
                ? [new ListenerAction("forward", 1, new ForwardAction([new TargetGroupWeight(blueArn, 1)]))]
                : [authenticate with { Order = 1 }, new ListenerAction("forward", 2, new ForwardAction([new TargetGroupWeight(blueArn, 1)]))];
            listener.Rules.Add(new SimRule(RuleArn(), 10, "path-pattern=/api/*", api));
            listener.Rules.Add(new SimRule(RuleArn(), 20, "path-pattern=/static/*",
                [new ListenerAction("forward", 1, new ForwardAction([new TargetGroupWeight(staticArn, 1)]))]));
            listener.Rules.Add(new SimRule(RuleArn(), 30, "path-pattern=/ping",
                [new ListenerAction("fixed-response", 1, Configuration: "{\"StatusCode\":\"200\",\"ContentType\":\"text/plain\",\"MessageBody\":\"pong\"}")]));
        }

        _listeners.Add(listenerArn, listener);
    }

    internal IReadOnlyList<ListenerAction> DescribeListenerActions(string listenerArn)
    {
        lock (_gate)
        {
            RequireListener(listenerArn);
            return Lagged($"listener:{listenerArn}", () => (IReadOnlyList<ListenerAction>)[.. _listeners[listenerArn].DefaultActions])!;
        }
    }

    internal void ModifyListenerActions(string listenerArn, IReadOnlyList<ListenerAction> actions)
    {
        lock (_gate)
        {
            var listener = RequireListener(listenerArn);
            ValidateActions(actions, "DefaultActions");
            var before = listener.DefaultActions;
            listener.DefaultActions = [.. actions];
            Changed("Listener", listenerArn, Weights(actions));
            ArmAlarmAfterSwap(listenerArn, before, actions);
        }
    }

    internal IReadOnlyList<ListenerRule> DescribeRules(string listenerArn)
    {
        lock (_gate)
        {
            RequireListener(listenerArn);
            return Lagged($"rules:{listenerArn}", () => (IReadOnlyList<ListenerRule>)RulesOf(_listeners[listenerArn]))!;
        }
    }

    /// <summary>DescribeRules' answer: the rules by priority, then the default rule with the listener's default actions.</summary>
    private static List<ListenerRule> RulesOf(SimListener listener)
    {
        var rules = listener.Rules
            .OrderBy(r => r.Priority)
            .Select(r => new ListenerRule(r.Arn, r.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture), false, [.. r.Actions], r.Conditions))
            .ToList();
        rules.Add(new ListenerRule(DefaultRuleArn(listener.Arn), "default", true, [.. listener.DefaultActions]));
        return rules;
    }

    internal void ModifyRule(string ruleArn, IReadOnlyList<ListenerAction> actions)
    {
        lock (_gate)
        {
            if (_listeners.Keys.Any(l => DefaultRuleArn(l) == ruleArn))
            {
                throw new SimulatedServiceException("OperationNotPermitted", $"The default rule '{ruleArn}' cannot be modified with ModifyRule; use ModifyListener.");
            }

            var (listener, rule) = _listeners.Values
                .SelectMany(l => l.Rules.Select(r => (Listener: l, Rule: r)))
                .FirstOrDefault(p => p.Rule.Arn == ruleArn);
            if (rule is null)
            {
                throw new SimulatedServiceException("RuleNotFound", $"One or more rules not found: '{ruleArn}'");
            }

            ValidateActions(actions, "Actions");
            var before = rule.Actions;
            rule.Actions = [.. actions];
            Changed("ListenerRule", ruleArn, $"priority {rule.Priority}: {Weights(actions)}");
            ArmAlarmAfterSwap(listener.Arn, before, actions);
        }
    }

    internal IReadOnlyList<TargetHealthDescription> DescribeTargets(string targetGroupArn)
    {
        lock (_gate)
        {
            if (!_targetGroups.TryGetValue(targetGroupArn, out var targetGroup))
            {
                throw new SimulatedServiceException("TargetGroupNotFound", $"One or more target groups not found: '{targetGroupArn}'");
            }

            return Lagged($"tg:{targetGroupArn}", () =>
                (IReadOnlyList<TargetHealthDescription>)[.. targetGroup.Targets.Select(t => t.Describe())])!;
        }
    }

    /// <summary>ELBv2's checks of a set of actions, with the error codes it answers.</summary>
    private void ValidateActions(IReadOnlyList<ListenerAction> actions, string member)
    {
        if (actions.Count == 0)
        {
            throw new SimulatedServiceException("ValidationError", $"{member} must contain at least one action.");
        }

        if (actions.Any(a => a.Order is null) && actions.Count > 1)
        {
            throw new SimulatedServiceException("ValidationError", $"Every action in {member} needs an Order when there is more than one.");
        }

        if (actions.Any(a => a.Order is < 1 or > 50000))
        {
            throw new SimulatedServiceException("ValidationError", $"Action orders must be 1 to 50000, not {actions.First(a => a.Order is < 1 or > 50000).Order}.");
        }

        if (actions.Select(a => a.Order).Distinct().Count() != actions.Count)
        {
            throw new SimulatedServiceException("InvalidLoadBalancerAction", "Two actions have the same order.");
        }

        var ordered = actions.OrderBy(a => a.Order ?? 1).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            var action = ordered[i];
            if (!ActionTypes.Contains(action.Type))
            {
                throw new SimulatedServiceException("ValidationError", $"Action type '{action.Type}' must be one of {string.Join(", ", ActionTypes)}.");
            }

            var terminal = action.Type is "forward" or "redirect" or "fixed-response";
            if (terminal != (i == ordered.Count - 1))
            {
                throw new SimulatedServiceException(
                    "InvalidLoadBalancerAction",
                    $"The last action must be the only forward, redirect or fixed-response action; found '{action.Type}' at order {action.Order}.");
            }

            if (action.Type == "forward")
            {
                ValidateForward(action.Forward ?? throw new SimulatedServiceException("ValidationError", $"The forward action at order {action.Order} has no target groups."));
            }
            else if (action.Configuration is null)
            {
                throw new SimulatedServiceException("ValidationError", $"The {action.Type} action at order {action.Order} has no configuration.");
            }
        }
    }

    private void ValidateForward(ForwardAction forward)
    {
        var groups = forward.TargetGroups;
        if (groups.Count is 0 or > 5)
        {
            throw new SimulatedServiceException("ValidationError", $"A forward action takes 1 to 5 target groups, not {groups.Count}.");
        }

        foreach (var weight in groups)
        {
            if (!_targetGroups.ContainsKey(weight.TargetGroupArn))
            {
                throw new SimulatedServiceException("TargetGroupNotFound", $"One or more target groups not found: '{weight.TargetGroupArn}'");
            }

            if (weight.Weight is < 0 or > 999)
            {
                throw new SimulatedServiceException("ValidationError", $"Target group weight {weight.Weight} must be between 0 and 999.");
            }
        }

        if (groups.Select(w => w.TargetGroupArn).Distinct(StringComparer.Ordinal).Count() != groups.Count)
        {
            throw new SimulatedServiceException("ValidationError", "A target group can appear only once in a forward action.");
        }

        if (forward.StickinessEnabled && forward.StickinessDurationSeconds is not (>= 1 and <= 604_800))
        {
            throw new SimulatedServiceException(
                "ValidationError", $"Target group stickiness duration {forward.StickinessDurationSeconds} must be 1 to 604800 seconds when stickiness is enabled.");
        }
    }

    private void ArmAlarmAfterSwap(string listenerArn, IReadOnlyList<ListenerAction> before, IReadOnlyList<ListenerAction> after)
    {
        var newlyServing = after
            .SelectMany(a => a.Forward?.TargetGroups ?? [])
            .Any(w => w.Weight > 0 && WeightOf(before, w.TargetGroupArn) == 0);
        if (newlyServing && Faults.AlarmAfterSwap is { } delay && !_alarmAfterSwapArmed
            && _topologies.Values.FirstOrDefault(t => t.ListenerArn == listenerArn) is { AlarmNames.Count: > 0 } topology)
        {
            _alarmAfterSwapArmed = true;
            var alarm = topology.AlarmNames[0];
            At(Now + delay, () =>
            {
                _alarms[alarm] = new AlarmDescription(alarm, AwsStates.AlarmAlarm, "Threshold Crossed: 3 datapoints were greater than the threshold (5.0) (simulated fault)", Now);
                Changed("Alarm", alarm, "ALARM after the swap (simulated fault)");
            });
        }
    }

    private static int WeightOf(IReadOnlyList<ListenerAction> actions, string targetGroupArn) =>
        actions.Sum(a => a.Forward?.TargetGroups.Where(t => t.TargetGroupArn == targetGroupArn).Sum(t => t.Weight) ?? 0);

    private static string Weights(IReadOnlyList<ListenerAction> actions) =>
        string.Join(", ", actions.SelectMany(a => a.Forward?.TargetGroups ?? []).Select(w => $"{ShortTargetGroup(w.TargetGroupArn)}={w.Weight}"));

    private static string DefaultRuleArn(string listenerArn) =>
        listenerArn.Replace(":listener/", ":listener-rule/", StringComparison.Ordinal) + "/default";

    private SimListener RequireListener(string listenerArn) =>
        _listeners.TryGetValue(listenerArn, out var listener)
            ? listener
            : throw new SimulatedServiceException("ListenerNotFound", $"One or more listeners not found: '{listenerArn}'");

    /// <summary>
    /// Health checks run every interval after registration. A target turns healthy on the HealthyThreshold-th
    /// consecutive passing check, and unhealthy once UnhealthyThreshold consecutive checks have failed (each failure is
    /// known only after the check's timeout). Both instants are computed here, so only two timers exist per target.
    /// </summary>
    private void Register(SimTargetGroup targetGroup, SimInstance instance, SimGroup group)
    {
        var target = new SimTarget(instance.Id, Now);
        targetGroup.Add(target);
        Changed("Target", instance.Id, $"registered in {ShortTargetGroup(targetGroup.Arn)} (initial)");
        var interval = Timings.HealthCheckInterval;
        var failingChecksBeforeReady = int.MaxValue;
        if (instance.ReadyAt is { } ready)
        {
            var firstPassing = Math.Max(1, (int)Math.Ceiling((ready - target.RegisteredAt) / interval));
            failingChecksBeforeReady = firstPassing - 1;
            var healthyAt = target.RegisteredAt + (interval * (firstPassing + Timings.HealthyThreshold - 1));
            At(healthyAt, () =>
            {
                if (target.State is AwsStates.TargetInitial or AwsStates.TargetUnhealthy && targetGroup.Contains(target) && !instance.Failed)
                {
                    target.State = AwsStates.TargetHealthy;
                    target.Reason = null;
                    if (group.ExternalDeficit > 0)
                    {
                        group.ExternalDeficit--;
                    }
                    else if (group.OwnGrowth > 0)
                    {
                        group.OwnGrowth--;
                    }
                    else
                    {
                        group.ExternalGrowth = Math.Max(0, group.ExternalGrowth - 1);
                    }

                    Changed("Target", instance.Id, $"healthy in {ShortTargetGroup(targetGroup.Arn)}");
                }
            });
        }

        if (failingChecksBeforeReady >= Timings.UnhealthyThreshold)
        {
            MarkUnhealthyAt(target.RegisteredAt + (interval * Timings.UnhealthyThreshold) + Timings.HealthCheckTimeout, target, targetGroup, instance, group);
        }
    }

    /// <summary>
    /// The target turns unhealthy at <paramref name="when"/>; with ELB health checks on the group, once the grace period
    /// has passed the instance is marked Unhealthy and replaced.
    /// </summary>
    private void MarkUnhealthyAt(DateTimeOffset when, SimTarget target, SimTargetGroup targetGroup, SimInstance instance, SimGroup group)
    {
        At(when, () =>
        {
            if (target.State is not (AwsStates.TargetInitial or AwsStates.TargetHealthy) || !targetGroup.Contains(target))
            {
                return;
            }

            target.State = AwsStates.TargetUnhealthy;
            target.Reason = "Target.FailedHealthChecks";
            Changed("Target", instance.Id, $"unhealthy in {ShortTargetGroup(targetGroup.Arn)}");
            At(Max(Now, instance.LaunchedAt + group.GracePeriod), () =>
            {
                if (target.State == AwsStates.TargetUnhealthy && instance.Lifecycle == AwsStates.InService && targetGroup.Contains(target))
                {
                    instance.Health = AwsStates.Unhealthy;
                    Changed("Instance", instance.Id, "marked Unhealthy by ELB health check; replacing");
                    BeginTerminate(instance, "health check replacement",
                        $"At {Stamp()} an instance was taken out of service in response to an ELB system health check failure.");
                    Reconcile(group);
                }
            });
        });
    }

    /// <summary>
    /// Up to <paramref name="count"/> in-service instances whose targets are healthy stop answering: after
    /// UnhealthyThreshold failed checks their targets are unhealthy and the group replaces them.
    /// </summary>
    private void FailInstances(SimGroup group, int count)
    {
        var victims = group.Instances
            .Where(i => i.Lifecycle == AwsStates.InService && !i.Failed
                && group.TargetGroupArns.All(arn => _targetGroups[arn].Find(i.Id)?.State == AwsStates.TargetHealthy))
            .OrderBy(i => i.LaunchedAt)
            .Take(count)
            .ToList();
        var unhealthyAt = Now + (Timings.HealthCheckInterval * Timings.UnhealthyThreshold) + Timings.HealthCheckTimeout;
        foreach (var instance in victims)
        {
            instance.Failed = true;
            instance.ReadyAt = null;
            group.ExternalDeficit++;
            // A describe can show the loss only once the target is unhealthy: that is when the describe lag starts to count.
            group.LossTimes.Add(unhealthyAt);
            Changed("Instance", instance.Id, "stopped answering health checks (external fault)");
            foreach (var arn in group.TargetGroupArns)
            {
                var targetGroup = _targetGroups[arn];
                if (targetGroup.Find(instance.Id) is { } target)
                {
                    MarkUnhealthyAt(unhealthyAt, target, targetGroup, instance, group);
                }
            }
        }
    }

    /// <summary>The colour an event acts on, from the listener's default weights now (blue on a tie).</summary>
    private SimGroup GroupFor(FleetTopology topology, FleetRole role)
    {
        var actions = _listeners[topology.ListenerArn].DefaultActions;
        var live = WeightOf(actions, topology.Green.TargetGroupArn) > WeightOf(actions, topology.Blue.TargetGroupArn) ? Colour.Green : Colour.Blue;
        var colour = role == FleetRole.Live ? live : live == Colour.Blue ? Colour.Green : Colour.Blue;
        return _groups[topology.For(colour).AutoScalingGroupName];
    }
}
