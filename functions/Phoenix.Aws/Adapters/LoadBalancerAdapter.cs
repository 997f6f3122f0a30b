using System.Text.Json;
using Phoenix.Aws.ElasticLoadBalancingV2;
using Phoenix.Core.Ports;
using Model = Phoenix.Aws.ElasticLoadBalancingV2.Model;

namespace Phoenix.Aws.Adapters;

/// <summary>
/// Listener and rule actions as read-modify-write. A forward becomes <see cref="ForwardAction"/> (weights and stickiness,
/// which Core may change); every other action keeps its whole configuration in <see cref="ListenerAction.Configuration"/> as
/// the JSON of the ELBv2 model's action (only its configuration members), which this adapter alone reads back, so an
/// authenticate, redirect or fixed-response action goes back to ELBv2 exactly as it came.
/// </summary>
public sealed class LoadBalancerAdapter(AmazonElasticLoadBalancingV2Client client) : ILoadBalancer
{
    private const string Forward = "forward";
    private const string AuthenticateOidc = "authenticate-oidc";

    public Task<IReadOnlyList<ListenerAction>> DescribeListenerActionsAsync(string listenerArn, CancellationToken cancellationToken) =>
        AwsCall.RunAsync<IReadOnlyList<ListenerAction>>($"DescribeListeners {listenerArn}", async () =>
        {
            var response = await client.DescribeListenersAsync(new Model.DescribeListenersRequest { ListenerArns = [listenerArn] }, cancellationToken)
                .ConfigureAwait(false);
            var listener = response.Listeners?.FirstOrDefault(l => l.ListenerArn == listenerArn)
                ?? throw new InvalidOperationException($"DescribeListeners returned no listener '{listenerArn}'.");
            return ToPort(listener.DefaultActions);
        }, cancellationToken);

    public Task ModifyListenerActionsAsync(string listenerArn, IReadOnlyList<ListenerAction> defaultActions, CancellationToken cancellationToken)
    {
        var actions = ToModel(defaultActions, $"listener '{listenerArn}'");
        return AwsCall.RunAsync($"ModifyListener {listenerArn}", () => client.ModifyListenerAsync(
            new Model.ModifyListenerRequest { ListenerArn = listenerArn, DefaultActions = actions }, cancellationToken), cancellationToken);
    }

    public Task<IReadOnlyList<ListenerRule>> DescribeRulesAsync(string listenerArn, CancellationToken cancellationToken) =>
        AwsCall.RunAsync<IReadOnlyList<ListenerRule>>($"DescribeRules {listenerArn}", async () =>
        {
            var rules = new List<ListenerRule>();
            string? marker = null;
            do
            {
                var page = await client.DescribeRulesAsync(new Model.DescribeRulesRequest { ListenerArn = listenerArn, Marker = marker }, cancellationToken)
                    .ConfigureAwait(false);
                rules.AddRange((page.Rules ?? []).Select(r => new ListenerRule(
                    r.RuleArn ?? string.Empty,
                    r.Priority ?? string.Empty,
                    r.IsDefault ?? false,
                    ToPort(r.Actions),
                    r.Conditions is { Count: > 0 } conditions ? JsonSerializer.Serialize(conditions, ElasticLoadBalancingV2JsonContext.Default.ListRuleCondition) : null)));
                marker = string.IsNullOrEmpty(page.NextMarker) ? null : page.NextMarker;
            }
            while (marker is not null);

            return rules;
        }, cancellationToken);

    public Task ModifyRuleActionsAsync(string ruleArn, IReadOnlyList<ListenerAction> actions, CancellationToken cancellationToken)
    {
        var modelActions = ToModel(actions, $"rule '{ruleArn}'");
        return AwsCall.RunAsync($"ModifyRule {ruleArn}", () => client.ModifyRuleAsync(
            new Model.ModifyRuleRequest { RuleArn = ruleArn, Actions = modelActions }, cancellationToken), cancellationToken);
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

    public Task<ListenerDescription?> DescribeListenerAsync(string listenerArn, CancellationToken cancellationToken) =>
        AwsCall.RunAsync<ListenerDescription?>($"DescribeListeners {listenerArn}", async () =>
        {
            try
            {
                var response = await client.DescribeListenersAsync(new Model.DescribeListenersRequest { ListenerArns = [listenerArn] }, cancellationToken)
                    .ConfigureAwait(false);
                return response.Listeners?.FirstOrDefault(l => l.ListenerArn == listenerArn) is { } listener
                    ? new ListenerDescription(listenerArn, listener.LoadBalancerArn ?? string.Empty, listener.Protocol ?? string.Empty, listener.Port ?? 0, ToPort(listener.DefaultActions))
                    : null;
            }
            catch (ListenerNotFoundException)
            {
                return null;
            }
        }, cancellationToken);

    public Task<TargetGroupDescription?> DescribeTargetGroupAsync(string arnOrName, bool byName, CancellationToken cancellationToken) =>
        AwsCall.RunAsync<TargetGroupDescription?>($"DescribeTargetGroups {arnOrName}", async () =>
        {
            try
            {
                var response = await client.DescribeTargetGroupsAsync(
                    byName ? new Model.DescribeTargetGroupsRequest { Names = [arnOrName] } : new Model.DescribeTargetGroupsRequest { TargetGroupArns = [arnOrName] },
                    cancellationToken).ConfigureAwait(false);
                return response.TargetGroups?.FirstOrDefault(g => byName ? g.TargetGroupName == arnOrName : g.TargetGroupArn == arnOrName) is { } group
                    ? new TargetGroupDescription(group.TargetGroupArn ?? string.Empty, ToPort(group), group.LoadBalancerArns ?? [])
                    : null;
            }
            catch (TargetGroupNotFoundException)
            {
                return null;
            }
        }, cancellationToken);

    public Task<string> CreateTargetGroupAsync(TargetGroupSettings settings, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(tags);
        return AwsCall.RunAsync($"CreateTargetGroup {settings.Name}", async () =>
        {
            var response = await client.CreateTargetGroupAsync(
                new Model.CreateTargetGroupRequest
                {
                    Name = settings.Name,
                    Protocol = settings.Protocol,
                    ProtocolVersion = settings.ProtocolVersion,
                    Port = settings.Port,
                    VpcId = settings.VpcId,
                    TargetType = settings.TargetType,
                    HealthCheckEnabled = settings.HealthCheckEnabled,
                    HealthCheckProtocol = settings.HealthCheckProtocol,
                    HealthCheckPort = settings.HealthCheckPort,
                    HealthCheckPath = settings.HealthCheckPath,
                    HealthCheckIntervalSeconds = settings.HealthCheckIntervalSeconds,
                    HealthCheckTimeoutSeconds = settings.HealthCheckTimeoutSeconds,
                    HealthyThresholdCount = settings.HealthyThresholdCount,
                    UnhealthyThresholdCount = settings.UnhealthyThresholdCount,
                    Matcher = settings.MatcherHttpCode is null && settings.MatcherGrpcCode is null
                        ? null
                        : new Model.Matcher { HttpCode = settings.MatcherHttpCode, GrpcCode = settings.MatcherGrpcCode },
                    IpAddressType = settings.IpAddressType,
                    Tags = tags.Count == 0 ? null : tags.Select(t => new Model.Tag { Key = t.Key, Value = t.Value }).ToList(),
                },
                cancellationToken).ConfigureAwait(false);
            return response.TargetGroups?.FirstOrDefault()?.TargetGroupArn
                ?? throw new InvalidOperationException($"CreateTargetGroup {settings.Name} returned no target group.");
        }, cancellationToken);
    }

    public Task DeleteTargetGroupAsync(string targetGroupArn, CancellationToken cancellationToken) =>
        AwsCall.RunAsync($"DeleteTargetGroup {targetGroupArn}", () => client.DeleteTargetGroupAsync(
            new Model.DeleteTargetGroupRequest { TargetGroupArn = targetGroupArn }, cancellationToken), cancellationToken);

    public Task AddTagsAsync(IReadOnlyList<string> resourceArns, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resourceArns);
        ArgumentNullException.ThrowIfNull(tags);
        return AwsCall.RunAsync($"AddTags {string.Join(", ", resourceArns)}", () => client.AddTagsAsync(
            new Model.AddTagsRequest
            {
                ResourceArns = [.. resourceArns],
                Tags = [.. tags.Select(t => new Model.Tag { Key = t.Key, Value = t.Value })],
            },
            cancellationToken), cancellationToken);
    }

    // A Lambda target group has no protocol, port or VPC: those stay null, as CreateTargetGroup wants them for that type.
    private static TargetGroupSettings ToPort(Model.TargetGroup group) => new(
        group.TargetGroupName ?? string.Empty,
        group.Protocol,
        group.ProtocolVersion,
        group.Port,
        group.VpcId,
        group.TargetType,
        group.HealthCheckEnabled,
        group.HealthCheckProtocol,
        group.HealthCheckPort,
        group.HealthCheckPath,
        group.HealthCheckIntervalSeconds,
        group.HealthCheckTimeoutSeconds,
        group.HealthyThresholdCount,
        group.UnhealthyThresholdCount,
        group.Matcher?.HttpCode,
        group.Matcher?.GrpcCode,
        group.IpAddressType);

    internal static IReadOnlyList<ListenerAction> ToPort(List<Model.Action>? actions) => (actions ?? []).Select(ToPort).ToList();

    // ELBv2 reports a plain forward both as TargetGroupArn and as a one-group ForwardConfig; a weight it omits is 1.
    private static ListenerAction ToPort(Model.Action action)
    {
        if (action.Type != Forward)
        {
            // AWS never returns the OIDC client secret; an emulator that does must not have it copied into Configuration,
            // which travels in step outputs and execution histories.
            if (action.AuthenticateOidcConfig is { } oidc)
            {
                oidc.ClientSecret = null;
            }

            var configuration = new Model.Action
            {
                AuthenticateOidcConfig = action.AuthenticateOidcConfig,
                AuthenticateCognitoConfig = action.AuthenticateCognitoConfig,
                RedirectConfig = action.RedirectConfig,
                FixedResponseConfig = action.FixedResponseConfig,
                JwtValidationConfig = action.JwtValidationConfig,
            };
            return new ListenerAction(action.Type ?? string.Empty, action.Order, Configuration: JsonSerializer.Serialize(configuration, ElasticLoadBalancingV2JsonContext.Default.Action));
        }

        IReadOnlyList<TargetGroupWeight> groups = action.ForwardConfig?.TargetGroups is { Count: > 0 } tuples
            ? tuples.Select(g => new TargetGroupWeight(g.TargetGroupArn!, g.Weight ?? 1)).ToList()
            : [new TargetGroupWeight(action.TargetGroupArn!, 1)];
        var stickiness = action.ForwardConfig?.TargetGroupStickinessConfig;
        return new ListenerAction(Forward, action.Order, new ForwardAction(groups, stickiness?.Enabled ?? false, stickiness?.DurationSeconds));
    }

    /// <summary>Checks every action before anything is sent, so a bad one never leaves a listener half-written.</summary>
    internal static List<Model.Action> ToModel(IReadOnlyList<ListenerAction> actions, string owner)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Count == 0)
        {
            throw new ArgumentException($"The actions for {owner} are empty: ELBv2 needs at least one, and Phoenix never removes them all.", nameof(actions));
        }

        return actions.Select(a => ToModel(a, owner)).ToList();
    }

    private static Model.Action ToModel(ListenerAction action, string owner)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (action.Forward is { } forward)
        {
            if (action.Type != Forward)
            {
                throw new ArgumentException($"An action of {owner} has type '{action.Type}' but carries forward target groups; only a 'forward' action can.", nameof(action));
            }

            if (forward.TargetGroups.Count == 0)
            {
                throw new ArgumentException($"The forward action of {owner} has no target groups.", nameof(action));
            }

            // Stickiness goes back as read (ELBv2 reports Enabled=false when it is off), so a change of weights never
            // switches it on or off.
            return new Model.Action
            {
                Type = Forward,
                Order = action.Order,
                ForwardConfig = new Model.ForwardActionConfig
                {
                    TargetGroups = forward.TargetGroups.Select(w => new Model.TargetGroupTuple { TargetGroupArn = w.TargetGroupArn, Weight = w.Weight }).ToList(),
                    TargetGroupStickinessConfig = new Model.TargetGroupStickinessConfig
                    {
                        Enabled = forward.StickinessEnabled,
                        DurationSeconds = forward.StickinessEnabled ? forward.StickinessDurationSeconds : null,
                    },
                },
            };
        }

        var configuration = action.Configuration is { Length: > 0 } json
            ? JsonSerializer.Deserialize(json, ElasticLoadBalancingV2JsonContext.Default.Action)
                ?? throw new ArgumentException($"The '{action.Type}' action of {owner} has a null configuration.", nameof(action))
            : throw new ArgumentException(
                $"The '{action.Type}' action of {owner} has no configuration: it was not read by this adapter, and sending it without one would drop its settings.",
                nameof(action));
        var carried = action.Type switch
        {
            AuthenticateOidc => configuration.AuthenticateOidcConfig,
            "authenticate-cognito" => configuration.AuthenticateCognitoConfig,
            "redirect" => configuration.RedirectConfig,
            "fixed-response" => configuration.FixedResponseConfig,
            "jwt-validation" => (object?)configuration.JwtValidationConfig,
            _ => throw new ArgumentException(
                $"The action type '{action.Type}' of {owner} is not one this adapter can send back (authenticate-oidc, authenticate-cognito, jwt-validation, redirect, fixed-response, forward).",
                nameof(action)),
        };
        if (carried is null)
        {
            throw new ArgumentException($"The '{action.Type}' action of {owner} has a configuration without its {action.Type} settings: {json}", nameof(action));
        }

        configuration.Type = action.Type;
        configuration.Order = action.Order;

        // DescribeListeners/DescribeRules never return the OIDC client secret; without UseExistingClientSecret ELBv2
        // would reject the action (or, were a secret sent, replace the one the owner configured).
        if (configuration.AuthenticateOidcConfig is { } oidc)
        {
            oidc.ClientSecret = null;
            oidc.UseExistingClientSecret = true;
        }

        return configuration;
    }
}
