using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Workflow;

/// <summary><c>phoenix adopt</c>: put the Auto Scaling group behind the listener's default forward under Phoenix as <paramref name="Application"/>.</summary>
public sealed record AdoptRequest(string Application, string AutoScalingGroupName, string ListenerArn, bool DryRun = false);

/// <summary>
/// What <see cref="FleetAdoption"/> planned and did. <see cref="Topology"/> is the topology written (or, on a dry run, the one
/// that would be); <see cref="Changed"/> is false on a dry run. <see cref="Lines"/> say it in words.
/// </summary>
public sealed record AdoptReport(string Application, FleetTopology Topology, bool Changed, IReadOnlyList<string> Lines);

/// <summary>
/// Brings an existing fleet (one Auto Scaling group behind one Application Load Balancer listener) under Phoenix without
/// touching what serves: the existing group becomes blue, and an idle twin becomes green — a group from the same launch
/// template version, subnets, health check and tags at min = max = desired = 0, and a target group with the same protocol,
/// port, VPC and health check. The listener's default forward becomes a weighted forward, blue 100 / green 0, with every
/// other action and the forward's stickiness handed back as read; then the topology is written, last, because it is what
/// makes the application deployable.
/// <para>
/// Everything is checked before the first change, and whatever cannot be adopted is refused naming it
/// (<see cref="AdoptionRefused"/>). Each change converges: the twins are found by name (and, for the group, by the
/// <see cref="ApplicationTag"/> tag that says it is this application's) before they are created, and a listener already
/// split blue/green 100/0 is left as it is, so a re-run after a partial failure finishes the job. A failure after the
/// first change rolls back the listener and the twins (<see cref="AdoptionFailed"/> says what, and what is left if the
/// rollback failed too). The blue group's two tags stay: they change no instance and the next run needs them anyway.
/// </para>
/// <para>
/// The deployed functions' roles change only what carries the <see cref="ApplicationTag"/> tag (HandlerPermissions): adopt
/// tags the group's launch template (new versions, launches), the listener (ModifyListener) and the rules that move with
/// the colours (ModifyRule) with it. Tags route no request and launch no instance; like the blue group's, they stay on a
/// rollback, and a re-run sets the same value again.
/// </para>
/// </summary>
public sealed partial class FleetAdoption(IAutoScaling autoScaling, ILoadBalancer loadBalancer, IEc2 ec2, ITopologyStore topologies)
{
    /// <summary>The tag the fleet stack puts on its groups (the drift rule and the IAM conditions look for it).</summary>
    public const string ApplicationTag = FleetConventions.ApplicationTag;

    public const string ColourTag = FleetConventions.ColourTag;

    /// <summary>Listener protocols of an Application Load Balancer, the only kind whose forward splits by weight.</summary>
    private static readonly string[] ApplicationProtocols = ["HTTP", "HTTPS"];

    /// <summary>The idle twin's Auto Scaling group: the fleet stack's naming, so adopted and stack-built fleets read alike.</summary>
    public static string TwinGroupName(string application) => $"phoenix-{application}-green";

    /// <summary>
    /// The twin target group's name. ELBv2 allows at most 32 letters, digits and hyphens; an application name that does not
    /// fit gets a stable hash of the whole name in its place, so every run derives the same name and finds what an earlier
    /// one created.
    /// </summary>
    public static string TwinTargetGroupName(string application)
    {
        ArgumentNullException.ThrowIfNull(application);
        var plain = $"phoenix-{application}-green";
        if (plain.Length <= 32 && TargetGroupNamePattern().IsMatch(plain))
        {
            return plain;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(application)))[..8];
        var readable = NotTargetGroupName().Replace(application, "-").Trim('-');
        readable = readable[..Math.Min(readable.Length, 32 - "phoenix--".Length - hash.Length - "-green".Length)].TrimEnd('-');
        return readable.Length == 0 ? $"phoenix-{hash}-green" : $"phoenix-{readable}-{hash}-green";
    }

    public async Task<AdoptReport> RunAsync(AdoptRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plan = await PlanAsync(request, cancellationToken);
        var lines = new List<string>(plan.Lines);
        if (request.DryRun)
        {
            lines.Add("Dry run: nothing was changed.");
            return new AdoptReport(request.Application, plan.Topology, false, lines);
        }

        var done = new List<string>();
        string? twinTargetGroup = plan.TwinTargetGroup?.TargetGroupArn;
        var twinGroupExists = plan.TwinGroup is not null;
        var listenerChanged = false;
        try
        {
            if (twinTargetGroup is null)
            {
                twinTargetGroup = await loadBalancer.CreateTargetGroupAsync(plan.TwinTargetGroupSettings, plan.TwinTags.Select(t => KeyValuePair.Create(t.Key, t.Value)).ToList(), cancellationToken);
                lines.Add($"Created target group {plan.TwinTargetGroupSettings.Name}: {twinTargetGroup}.");
            }
            else
            {
                lines.Add($"Target group {plan.TwinTargetGroupSettings.Name} exists from an earlier run with the same settings: kept.");
            }

            var topology = plan.Topology with { Green = plan.Topology.Green with { TargetGroupArn = twinTargetGroup } };
            if (!twinGroupExists)
            {
                await autoScaling.CreateAutoScalingGroupAsync(plan.TwinGroupRequest with { TargetGroupArns = [twinTargetGroup] }, cancellationToken);
                twinGroupExists = true;
                lines.Add($"Created Auto Scaling group {plan.TwinGroupRequest.AutoScalingGroupName} at min 0 / max 0 / desired 0.");
            }
            else
            {
                lines.Add($"Auto Scaling group {plan.TwinGroupRequest.AutoScalingGroupName} exists from an earlier run: kept.");
            }

            if (plan.BlueTagsMissing)
            {
                await autoScaling.CreateOrUpdateTagsAsync(request.AutoScalingGroupName, BlueTags(request.Application), cancellationToken);
                lines.Add($"Tagged {request.AutoScalingGroupName} {ApplicationTag}={request.Application}, {ColourTag}=blue (instances already running keep their tags).");
            }

            await TagForDeploymentsAsync(request.Application, plan, cancellationToken);
            lines.Add($"Tagged {ApplicationTag}={request.Application}: launch template {plan.Topology.Blue.LaunchTemplateId}, the listener"
                + (plan.RulesToTag.Count > 0 ? $" and {plan.RulesToTag.Count} rule(s) that move with the colours." : "."));

            if (!plan.ListenerAlreadySplit)
            {
                var weights = new[] { new TargetGroupWeight(plan.Topology.Blue.TargetGroupArn, 100), new TargetGroupWeight(twinTargetGroup, 0) };
                listenerChanged = true;
                await loadBalancer.ModifyListenerActionsAsync(request.ListenerArn, LoadBalancerWeights.WithWeights(plan.ListenerActions, weights), cancellationToken);
                lines.Add($"Listener forward: blue 100 / green 0 (was blue only); its other actions and stickiness as they were.");
            }
            else
            {
                lines.Add("Listener forward: already blue 100 / green 0 from an earlier run.");
            }

            if (!await topologies.CreateAsync(topology, cancellationToken))
            {
                throw new AdoptionRefused($"Application '{request.Application}' got a topology from someone else while it was adopted.");
            }

            lines.Add($"Wrote the topology of {request.Application}: blue = {topology.Blue.AutoScalingGroupName}, green = {topology.Green.AutoScalingGroupName}.");
            lines.Add($"Adopted {request.Application}: no instance and no traffic changed. Deploy with `phoenix deploy --app {request.Application} --image AMI_ID`.");
            return new AdoptReport(request.Application, topology, true, lines);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || listenerChanged || twinGroupExists || twinTargetGroup is not null)
        {
            var left = await RollBackAsync(request, plan, listenerChanged || plan.ListenerAlreadySplit, twinGroupExists, twinTargetGroup, done);
            var message = $"Adopting {request.Application} failed: {ex.Message.TrimEnd('.')}."
                + (done.Count > 0 ? $" Rolled back: {string.Join("; ", done)}." : " Nothing had been changed.")
                + (left.Count > 0 ? $" Left to clean up by hand: {string.Join("; ", left)}." : string.Empty);
            throw new AdoptionFailed(message, ex);
        }
    }

    /// <summary>ELBv2 AddTags takes at most 20 resources a call.</summary>
    private async Task TagForDeploymentsAsync(string application, AdoptionPlan plan, CancellationToken cancellationToken)
    {
        KeyValuePair<string, string>[] tag = [KeyValuePair.Create(ApplicationTag, application)];
        await ec2.CreateTagsAsync(plan.Topology.Blue.LaunchTemplateId, tag, cancellationToken);
        foreach (var chunk in plan.RulesToTag.Prepend(plan.Topology.ListenerArn).Chunk(20))
        {
            await loadBalancer.AddTagsAsync(chunk, tag, cancellationToken);
        }
    }

    /// <summary>
    /// The rules a deployment moves with the colours (Listener.SetAsync): one forward, to the colours' target groups only.
    /// </summary>
    private static List<string> RulesThatMove(IReadOnlyList<ListenerRule> rules, string blueTargetGroupArn, string? twinTargetGroupArn) =>
        [.. rules.Where(r => !r.IsDefault)
            .Where(r => r.Actions.Where(a => a.Forward is not null).ToList() is [var forward]
                && forward.Forward!.TargetGroups.All(t => t.TargetGroupArn == blueTargetGroupArn || t.TargetGroupArn == twinTargetGroupArn))
            .Select(r => r.RuleArn)];

    /// <summary>Reverse order: traffic back to blue alone before the twin target group can be deleted (ELBv2 refuses one in use).</summary>
    private async Task<List<string>> RollBackAsync(AdoptRequest request, AdoptionPlan plan, bool listener, bool twinGroup, string? twinTargetGroup, List<string> done)
    {
        var left = new List<string>();

        // Rollback runs to the end even when the caller's token was cancelled: half a rollback is worse than a late one.
        var none = CancellationToken.None;
        if (listener)
        {
            try
            {
                await loadBalancer.ModifyListenerActionsAsync(
                    request.ListenerArn,
                    LoadBalancerWeights.WithWeights(plan.ListenerActions, [new TargetGroupWeight(plan.Topology.Blue.TargetGroupArn, 1)]),
                    none);
                done.Add("listener forward back to blue only");
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                left.Add($"listener '{request.ListenerArn}' still forwards to the twin target group at weight 0 ({ex.Message})");
                return left.Concat(Leftovers(plan, twinGroup, twinTargetGroup)).ToList();
            }
        }

        if (twinGroup)
        {
            try
            {
                await autoScaling.DeleteAutoScalingGroupAsync(plan.TwinGroupRequest.AutoScalingGroupName, none);
                done.Add($"deleted Auto Scaling group {plan.TwinGroupRequest.AutoScalingGroupName}");
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                left.Add($"Auto Scaling group {plan.TwinGroupRequest.AutoScalingGroupName} ({ex.Message})");
            }
        }

        if (twinTargetGroup is not null)
        {
            try
            {
                await loadBalancer.DeleteTargetGroupAsync(twinTargetGroup, none);
                done.Add($"deleted target group {plan.TwinTargetGroupSettings.Name}");
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                left.Add($"target group {twinTargetGroup} ({ex.Message})");
            }
        }

        return left;
    }

    private static IEnumerable<string> Leftovers(AdoptionPlan plan, bool twinGroup, string? twinTargetGroup)
    {
        if (twinGroup)
        {
            yield return $"Auto Scaling group {plan.TwinGroupRequest.AutoScalingGroupName}";
        }

        if (twinTargetGroup is not null)
        {
            yield return $"target group {twinTargetGroup}";
        }
    }

    /// <summary>Every check, read-only; the plan, or <see cref="AdoptionRefused"/> naming what cannot be adopted.</summary>
    private async Task<AdoptionPlan> PlanAsync(AdoptRequest request, CancellationToken cancellationToken)
    {
        var app = request.Application;
        var groupName = request.AutoScalingGroupName;
        var listenerArn = request.ListenerArn;
        if (await topologies.GetAsync(app, cancellationToken) is { } existing)
        {
            throw new AdoptionRefused(
                $"Application '{app}' already has a topology (blue {existing.Blue.AutoScalingGroupName}, green {existing.Green.AutoScalingGroupName}, listener {existing.ListenerArn}): "
                + "Phoenix manages it already, and adopt never replaces a topology. Choose another --app name. Nothing was changed.");
        }

        var twinGroupName = TwinGroupName(app);
        if (groupName == twinGroupName)
        {
            throw new AdoptionRefused($"Auto Scaling group '{groupName}' has the name adopt gives the idle twin of '{app}': adopt the group it was copied from instead. Nothing was changed.");
        }

        var group = await autoScaling.DescribeAutoScalingGroupAsync(groupName, cancellationToken)
            ?? throw new AdoptionRefused($"Auto Scaling group '{groupName}' does not exist in this account and region. Nothing was changed.");
        var problems = new List<string>();
        if (group.LoadBalancerNames is { Count: > 0 } classic)
        {
            problems.Add($"Auto Scaling group '{groupName}' is attached to Classic Load Balancer {string.Join(", ", classic)}: a Classic Load Balancer has no listener "
                + "that can split traffic by weight; put the group behind an Application Load Balancer target group first");
        }

        if (group.LaunchTemplate is null)
        {
            problems.Add(group.LaunchConfigurationRefusal);
        }

        if (group.HasMixedInstancesPolicy)
        {
            problems.Add($"Auto Scaling group '{groupName}' has a mixed-instances policy: Phoenix points a group at one launch template version, which would replace the policy; "
                + "give the group a single launch template instead of the policy to adopt it");
        }

        if (group.HasWarmPool)
        {
            problems.Add($"Auto Scaling group '{groupName}' has a warm pool: its instances are prepared from an earlier launch template version and would join a colour with the old image");
        }

        // A Classic Load Balancer's refusal already says to move to a target group: "attached to no target group" adds nothing.
        if (group.TargetGroupArns.Count != 1 && !(group.TargetGroupArns.Count == 0 && group.LoadBalancerNames is { Count: > 0 }))
        {
            problems.Add(group.TargetGroupArns.Count == 0
                ? $"Auto Scaling group '{groupName}' is attached to no target group: the listener must forward to the group's one target group"
                : $"Auto Scaling group '{groupName}' is attached to {group.TargetGroupArns.Count} target groups ({string.Join(", ", group.TargetGroupArns)}): Phoenix needs exactly one, the one the listener forwards to");
        }

        var listener = await loadBalancer.DescribeListenerAsync(listenerArn, cancellationToken);
        if (listener is null)
        {
            problems.Add($"listener '{listenerArn}' does not exist");
        }
        else if (!ApplicationProtocols.Contains(listener.Protocol))
        {
            problems.Add($"listener '{listenerArn}' is a {listener.Protocol} listener (Network or Gateway Load Balancer): its forward takes a single target group, "
                + "so traffic cannot be split by weight between two colours; Phoenix needs an Application Load Balancer (HTTP or HTTPS) listener");
        }

        ThrowIfAny(app, problems);
        var launchTemplate = group.RequireLaunchTemplate(); // refused above when there is none
        var blueTargetGroupArn = group.TargetGroupArns[0];
        var blueTargetGroup = await loadBalancer.DescribeTargetGroupAsync(blueTargetGroupArn, byName: false, cancellationToken)
            ?? throw new AdoptionRefused($"Target group '{blueTargetGroupArn}' of Auto Scaling group '{groupName}' does not exist. Nothing was changed.");
        var twinSettings = blueTargetGroup.Settings with { Name = TwinTargetGroupName(app) };
        var twinTargetGroup = await loadBalancer.DescribeTargetGroupAsync(twinSettings.Name, byName: true, cancellationToken);
        if (twinTargetGroup is not null && twinTargetGroup.Settings != twinSettings)
        {
            problems.Add($"a target group named '{twinSettings.Name}' already exists ({twinTargetGroup.TargetGroupArn}) with settings other than {blueTargetGroup.Settings.Name}'s: "
                + "adopt names the idle twin's target group so; delete or rename that one");
        }

        var forwards = listener!.DefaultActions.Where(a => a.Forward is not null).ToList();
        var listenerAlreadySplit = false;
        if (forwards.Count == 0)
        {
            problems.Add($"listener '{listenerArn}' has no forward among its default actions ({string.Join(", ", listener.DefaultActions.Select(a => a.Type))}): "
                + $"Phoenix needs its default action to forward to target group '{blueTargetGroupArn}'");
        }
        else if (forwards.Count > 1)
        {
            problems.Add($"listener '{listenerArn}' has {forwards.Count} forward default actions: Phoenix needs exactly one, to target group '{blueTargetGroupArn}'");
        }
        else
        {
            var targets = forwards[0].Forward!.TargetGroups;
            var twinArn = twinTargetGroup?.TargetGroupArn;
            listenerAlreadySplit = twinArn is not null && targets.Count == 2
                && targets.Any(t => t.TargetGroupArn == blueTargetGroupArn && t.Weight > 0)
                && targets.Any(t => t.TargetGroupArn == twinArn && t.Weight == 0);
            if (!listenerAlreadySplit && (targets.Count != 1 || targets[0].TargetGroupArn != blueTargetGroupArn))
            {
                problems.Add($"listener '{listenerArn}' forwards to {string.Join(", ", targets.Select(t => $"{t.TargetGroupArn} (weight {t.Weight})"))}, "
                    + $"not only to target group '{blueTargetGroupArn}' of Auto Scaling group '{groupName}': make its default action forward to that target group alone, then adopt");
            }
        }

        var twinGroup = await autoScaling.DescribeAutoScalingGroupAsync(twinGroupName, cancellationToken);
        if (twinGroup is not null && !IsTwinOf(twinGroup, app))
        {
            problems.Add($"an Auto Scaling group named '{twinGroupName}' already exists without the tags {ApplicationTag}={app}, {ColourTag}=green: "
                + "adopt names the idle twin so; delete or rename that one");
        }

        var template = await ec2.DescribeLaunchTemplateVersionAsync(launchTemplate.LaunchTemplateId, launchTemplate.Version, cancellationToken);
        if (template is null)
        {
            problems.Add($"launch template {launchTemplate.LaunchTemplateId} version {launchTemplate.Version} of Auto Scaling group '{groupName}' does not exist");
        }

        ThrowIfAny(app, problems);

        // The twin's target group ARN is not known before it is created; the plan's topology carries the name until then.
        var topology = new FleetTopology(
            app,
            new ColourResources(groupName, blueTargetGroupArn, launchTemplate.LaunchTemplateId),
            new ColourResources(twinGroupName, twinTargetGroup?.TargetGroupArn ?? twinSettings.Name, launchTemplate.LaunchTemplateId),
            listenerArn,
            AlarmNames: [],
            DefaultCapacity: Math.Max(1, group.DesiredCapacity));
        var prospective = LoadBalancerWeights.WithWeights(listener.DefaultActions, [new(blueTargetGroupArn, 100), new(topology.Green.TargetGroupArn, 0)]);
        var rules = await loadBalancer.DescribeRulesAsync(listenerArn, cancellationToken);
        problems.AddRange(Listener.UnmovableRules(topology, prospective, rules).Select(r => $"listener '{listenerArn}' {r}"));
        ThrowIfAny(app, problems);

        var rulesToTag = RulesThatMove(rules, blueTargetGroupArn, twinTargetGroup?.TargetGroupArn);
        var tags = TwinTags(group, app);
        var twinRequest = new CreateAutoScalingGroup(
            twinGroupName,
            launchTemplate,
            MinSize: 0,
            MaxSize: 0,
            DesiredCapacity: 0,
            group.VpcZoneIdentifier,
            string.IsNullOrEmpty(group.VpcZoneIdentifier) ? group.AvailabilityZones : null,
            [topology.Green.TargetGroupArn],
            group.HealthCheckType,
            group.HealthCheckGracePeriod,
            tags);
        var blueTagsMissing = !BlueTags(app).All(t => group.Tags?.Any(g => g.Key == t.Key && g.Value == t.Value) == true);
        var settings = blueTargetGroup.Settings;
        var lines = new List<string>
        {
            $"Adopt {app}: Auto Scaling group {groupName} (min {group.MinSize} / max {group.MaxSize} / desired {group.DesiredCapacity}, launch template "
                + $"{launchTemplate.LaunchTemplateId} version {launchTemplate.Version}) behind listener {listenerArn} ({listener.Protocol}:{listener.Port}).",
            $"  blue  (live, unchanged): group {groupName}, target group {settings.Name} ({blueTargetGroupArn}){(blueTagsMissing ? $"; tagged {ApplicationTag}={app}, {ColourTag}=blue" : string.Empty)}.",
            $"  green (idle twin):       group {twinGroupName} at 0/0/0 from the same launch template version, "
                + $"{(string.IsNullOrEmpty(group.VpcZoneIdentifier) ? $"zones {string.Join(",", group.AvailabilityZones ?? [])}" : $"subnets {group.VpcZoneIdentifier}")}, "
                + $"health check {group.HealthCheckType ?? "EC2"} with {group.HealthCheckGracePeriod} s grace, {tags.Count} tags; "
                + $"target group {twinSettings.Name} ({settings.Protocol}:{settings.Port}, {settings.VpcId}, health check {settings.HealthCheckProtocol} {settings.HealthCheckPath ?? string.Empty} "
                + $"every {settings.HealthCheckIntervalSeconds} s){(twinTargetGroup is null ? string.Empty : " (exists)")}{(twinGroup is null ? string.Empty : "; group exists")}.",
            listenerAlreadySplit
                ? "  listener: already blue 100 / green 0."
                : "  listener: default forward becomes blue 100 / green 0; its other actions, their order and its stickiness stay as they are.",
            $"  tags: {ApplicationTag}={app} on launch template {launchTemplate.LaunchTemplateId}, listener {listenerArn}"
                + (rulesToTag.Count > 0 ? $" and its {rulesToTag.Count} rule(s) that move with the colours ({string.Join(", ", rulesToTag)})" : string.Empty)
                + ": the deployed functions change only tagged templates, listeners and rules; no instance and no traffic changes.",
            $"  topology of {app}: written last, with no alarms (add alarmNames to it for CheckAlarms to watch).",
        };
        if (template is not null && launchTemplate.Version != "$Default"
            && await ec2.DescribeLaunchTemplateVersionAsync(launchTemplate.LaunchTemplateId, "$Default", cancellationToken) is { } defaultVersion
            && defaultVersion.VersionNumber != template.VersionNumber)
        {
            // Deployments derive each new version from $Default (UpdateLaunchTemplateStep): a group on another version would get
            // $Default's settings with the new image at its first deployment.
            lines.Add($"  note: {groupName} runs launch template version {template.VersionNumber} but the template's default is {defaultVersion.VersionNumber}; "
                + $"deployments build new versions from the default, so make {template.VersionNumber} the default (ModifyLaunchTemplate) before the first one.");
        }

        return new AdoptionPlan(topology, twinRequest, tags, twinSettings, twinTargetGroup, twinGroup, listener.DefaultActions, listenerAlreadySplit, blueTagsMissing, rulesToTag, lines);
    }

    /// <summary>The group's own tags (AWS reserves <c>aws:</c>), with the application and colour tags set for green.</summary>
    private static List<GroupTag> TwinTags(AutoScalingGroup group, string application)
    {
        var tags = (group.Tags ?? [])
            .Where(t => !t.Key.StartsWith("aws:", StringComparison.Ordinal) && t.Key is not (ApplicationTag or ColourTag))
            .ToList();
        tags.Add(new GroupTag(ApplicationTag, application, PropagateAtLaunch: true));
        tags.Add(new GroupTag(ColourTag, "green", PropagateAtLaunch: true));
        return tags;
    }

    private static GroupTag[] BlueTags(string application) =>
        [new(ApplicationTag, application, PropagateAtLaunch: true), new(ColourTag, "blue", PropagateAtLaunch: true)];

    private static bool IsTwinOf(AutoScalingGroup group, string application) =>
        group.Tags?.Any(t => t.Key == ApplicationTag && t.Value == application) == true
        && group.Tags.Any(t => t.Key == ColourTag && t.Value == "green");

    private static void ThrowIfAny(string application, List<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new AdoptionRefused($"Cannot adopt '{application}': {string.Join("; ", problems)}. Nothing was changed.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$")]
    private static partial Regex TargetGroupNamePattern();

    [GeneratedRegex("[^A-Za-z0-9-]+")]
    private static partial Regex NotTargetGroupName();

    private sealed record AdoptionPlan(
        FleetTopology Topology,
        CreateAutoScalingGroup TwinGroupRequest,
        IReadOnlyList<GroupTag> TwinTags,
        TargetGroupSettings TwinTargetGroupSettings,
        TargetGroupDescription? TwinTargetGroup,
        AutoScalingGroup? TwinGroup,
        IReadOnlyList<ListenerAction> ListenerActions,
        bool ListenerAlreadySplit,
        bool BlueTagsMissing,
        IReadOnlyList<string> RulesToTag,
        IReadOnlyList<string> Lines);
}
