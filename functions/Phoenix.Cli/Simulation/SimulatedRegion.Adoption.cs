using Phoenix.Core.Domain;
using Phoenix.Core.Ports;

namespace Phoenix.Cli.Simulation;

// What `phoenix adopt` needs of the region: a fleet Phoenix did not build (one group behind one listener, no topology),
// creating and deleting groups and target groups, group tags, listener and target group describes, and a topology
// written only where none exists.
public sealed partial class SimulatedRegion
{
    /// <summary>The VPC every simulated target group is in.</summary>
    public const string VpcId = "vpc-0simulated000000";

    /// <summary>
    /// Builds a fleet the way a team without Phoenix runs one: a launch template, one Auto Scaling group of
    /// <paramref name="capacity"/> instances in service and healthy, its target group, and an HTTP listener whose default
    /// action is a plain forward to that target group. No topology: this is what <c>phoenix adopt</c> starts from. With
    /// <paramref name="routes"/> the listener also has a rule /api/* forwarding to the group's target group (one that moves
    /// with the colours) and a rule /static/* forwarding to a target group of its own (one that does not).
    /// </summary>
    public (string GroupName, string ListenerArn) CreateUnmanagedFleet(string name, string imageId, int capacity, IReadOnlyList<GroupTag>? tags = null, bool routes = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        lock (_gate)
        {
            if (!_images.ContainsKey(imageId))
            {
                AddImage(imageId, $"{name}-initial", healthy: true, boot: null);
            }

            var template = new SimLaunchTemplate($"lt-{NextHex(17)}", name);
            template.Versions.Add((1, imageId, null));
            _templates.Add(template.Id, template);
            var targetGroupArn = AddTargetGroup(TargetGroupSettingsFor(name));
            var group = new SimGroup(name, template.Id, "1", [targetGroupArn], Timings.HealthCheckGracePeriod, Zones)
            {
                MinSize = capacity,
                MaxSize = capacity * 2,
                DesiredCapacity = capacity,
            };
            group.Tags.AddRange(tags ?? [new GroupTag("Name", name, true), new GroupTag("team", "web", true)]);
            _groups.Add(name, group);
            for (var i = 0; i < capacity; i++)
            {
                LaunchAlreadyServing(group);
            }

            var loadBalancer = $"arn:aws:elasticloadbalancing:{RegionName}:{AccountId}:loadbalancer/app/{name}/{NextHex(16)}";
            var listenerArn = loadBalancer.Replace(":loadbalancer/", ":listener/", StringComparison.Ordinal) + "/" + NextHex(16);
            var listener = new SimListener(listenerArn) { LoadBalancerArn = loadBalancer };
            listener.DefaultActions = [new ListenerAction("forward", 1, new ForwardAction([new TargetGroupWeight(targetGroupArn, 1)]))];
            if (routes)
            {
                var staticArn = AddTargetGroup(TargetGroupSettingsFor($"{name}-static"));
                string RuleArn() => listenerArn.Replace(":listener/", ":listener-rule/", StringComparison.Ordinal) + "/" + NextHex(16);
                listener.Rules.Add(new SimRule(RuleArn(), 10, "path-pattern=/api/*", [new ListenerAction("forward", 1, new ForwardAction([new TargetGroupWeight(targetGroupArn, 1)]))]));
                listener.Rules.Add(new SimRule(RuleArn(), 20, "path-pattern=/static/*", [new ListenerAction("forward", 1, new ForwardAction([new TargetGroupWeight(staticArn, 1)]))]));
            }

            _listeners.Add(listenerArn, listener);
            Changed("Fleet", name, $"unmanaged group of {capacity} instance(s) of {imageId}");
            return (name, listenerArn);
        }
    }

    /// <summary>The region's listeners and groups a test may inspect after an adopt.</summary>
    public bool HasGroup(string groupName)
    {
        lock (_gate)
        {
            return _groups.ContainsKey(groupName);
        }
    }

    public bool HasTargetGroup(string arnOrName)
    {
        lock (_gate)
        {
            return _targetGroups.Values.Any(t => t.Arn == arnOrName || t.Settings.Name == arnOrName);
        }
    }

    /// <summary>The instance ids of a group now (an adopt must change none of them).</summary>
    public IReadOnlyList<string> InstanceIdsOf(string groupName)
    {
        lock (_gate)
        {
            return [.. RequireGroup(groupName).Instances.Select(i => i.Id)];
        }
    }

    internal void CreateGroup(CreateAutoScalingGroup request)
    {
        lock (_gate)
        {
            if (_groups.ContainsKey(request.AutoScalingGroupName))
            {
                throw new InvalidOperationException($"AlreadyExists: AutoScalingGroup by this name already exists - A group with the name {request.AutoScalingGroupName} already exists");
            }

            if (!_templates.ContainsKey(request.LaunchTemplate.LaunchTemplateId))
            {
                throw new InvalidOperationException($"ValidationError: The specified launch template, with template ID {request.LaunchTemplate.LaunchTemplateId}, does not exist.");
            }

            var missing = request.TargetGroupArns.FirstOrDefault(arn => !_targetGroups.ContainsKey(arn));
            if (missing is not null)
            {
                throw new InvalidOperationException($"ValidationError: Provided Target Groups may not be valid. Target group {missing} not found.");
            }

            var group = new SimGroup(
                request.AutoScalingGroupName,
                request.LaunchTemplate.LaunchTemplateId,
                request.LaunchTemplate.Version,
                [.. request.TargetGroupArns],
                TimeSpan.FromSeconds(request.HealthCheckGracePeriod),
                request.AvailabilityZones is { Count: > 0 } zones ? zones : Zones)
            {
                MinSize = request.MinSize,
                MaxSize = request.MaxSize,
                DesiredCapacity = request.DesiredCapacity,
                VpcZoneIdentifier = request.VpcZoneIdentifier,
                HealthCheckType = request.HealthCheckType ?? "EC2",
            };
            group.Tags.AddRange(request.Tags);
            if (request.DesiredCapacity > 0)
            {
                throw new InvalidOperationException("The simulated region creates groups at desired 0 only (phoenix adopt's twin); scale them afterwards.");
            }

            _groups.Add(group.Name, group);
            Changed("AutoScalingGroup", group.Name, $"created at {request.MinSize}/{request.MaxSize}/{request.DesiredCapacity}");
        }
    }

    internal void DeleteGroup(string groupName)
    {
        lock (_gate)
        {
            var group = RequireGroup(groupName);
            if (group.Instances.Count > 0)
            {
                // ForceDelete would terminate them; Phoenix deletes only a twin it created empty, so an instance here is a bug.
                throw new InvalidOperationException($"Auto Scaling group '{groupName}' still has {group.Instances.Count} instance(s).");
            }

            _groups.Remove(groupName);
            Changed("AutoScalingGroup", groupName, "deleted");
        }
    }

    internal void TagGroup(string groupName, IReadOnlyList<GroupTag> tags)
    {
        lock (_gate)
        {
            var group = RequireGroup(groupName);
            foreach (var tag in tags)
            {
                group.Tags.RemoveAll(t => t.Key == tag.Key);
                group.Tags.Add(tag);
            }

            Changed("AutoScalingGroup", groupName, $"tagged {string.Join(", ", tags.Select(t => $"{t.Key}={t.Value}"))}");
        }
    }

    /// <summary>Tags of launch templates, listeners and rules (ELBv2 AddTags, EC2 CreateTags), keyed by id or ARN.</summary>
    private readonly Dictionary<string, Dictionary<string, string>> _resourceTags = new(StringComparer.Ordinal);

    /// <summary>
    /// AddTags / CreateTags: every resource must exist (ELBv2 answers ListenerNotFound or RuleNotFound, EC2
    /// InvalidLaunchTemplateId.NotFound) before any is tagged; an existing key takes the new value.
    /// </summary>
    internal void TagResources(IReadOnlyList<string> resources, IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        lock (_gate)
        {
            var missing = resources.FirstOrDefault(r => !_templates.ContainsKey(r) && !_listeners.ContainsKey(r) && !_listeners.Values.Any(l => l.Rules.Any(x => x.Arn == r)));
            if (missing is not null)
            {
                throw new InvalidOperationException($"NotFound: resource '{missing}' does not exist.");
            }

            foreach (var resource in resources)
            {
                var current = _resourceTags.TryGetValue(resource, out var existing) ? existing : _resourceTags[resource] = new(StringComparer.Ordinal);
                foreach (var (key, value) in tags)
                {
                    current[key] = value;
                }

                Changed("Tags", resource, $"tagged {string.Join(", ", tags.Select(t => $"{t.Key}={t.Value}"))}");
            }
        }
    }

    /// <summary>The tags of a launch template, listener or rule now (none when it was never tagged).</summary>
    public IReadOnlyDictionary<string, string> TagsOf(string resource)
    {
        lock (_gate)
        {
            return _resourceTags.TryGetValue(resource, out var tags) ? new Dictionary<string, string>(tags, StringComparer.Ordinal) : new Dictionary<string, string>();
        }
    }

    internal ListenerDescription? DescribeListener(string listenerArn)
    {
        lock (_gate)
        {
            return _listeners.TryGetValue(listenerArn, out var listener)
                ? new ListenerDescription(listenerArn, listener.LoadBalancerArn, listener.Protocol, listener.Port, DescribeListenerActions(listenerArn))
                : null;
        }
    }

    internal TargetGroupDescription? DescribeTargetGroup(string arnOrName, bool byName)
    {
        lock (_gate)
        {
            var group = _targetGroups.Values.FirstOrDefault(t => byName ? t.Settings.Name == arnOrName : t.Arn == arnOrName);
            return group is null ? null : new TargetGroupDescription(group.Arn, group.Settings, LoadBalancersOf(group.Arn));
        }
    }

    /// <summary>As ELBv2: the same name with the same settings answers with the existing group; other settings are refused.</summary>
    internal string CreateTargetGroup(TargetGroupSettings settings)
    {
        lock (_gate)
        {
            if (_targetGroups.Values.FirstOrDefault(t => t.Settings.Name == settings.Name) is { } existing)
            {
                return existing.Settings == settings
                    ? existing.Arn
                    : throw new InvalidOperationException($"DuplicateTargetGroupName: A target group with the same name '{settings.Name}' exists, but with different settings");
            }

            var arn = AddTargetGroup(settings);
            Changed("TargetGroup", arn, "created");
            return arn;
        }
    }

    internal void DeleteTargetGroup(string targetGroupArn)
    {
        lock (_gate)
        {
            if (LoadBalancersOf(targetGroupArn).Count > 0)
            {
                throw new InvalidOperationException($"ResourceInUse: Target group '{targetGroupArn}' is currently in use by a listener or a rule");
            }

            if (_targetGroups.Remove(targetGroupArn))
            {
                Changed("TargetGroup", targetGroupArn, "deleted");
            }
        }
    }

    internal bool CreateTopology(FleetTopology topology)
    {
        lock (_gate)
        {
            if (!_topologies.TryAdd(topology.Application, topology))
            {
                return false;
            }

            Changed("Topology", topology.Application, "parameter created");
            return true;
        }
    }

    private string AddTargetGroup(TargetGroupSettings settings)
    {
        var arn = TargetGroupArn(settings.Name);
        _targetGroups.Add(arn, new SimTargetGroup(arn, settings));
        return arn;
    }

    /// <summary>What a simulated target group reports: its health check is the one <see cref="Timings"/> runs.</summary>
    private TargetGroupSettings TargetGroupSettingsFor(string name) => new(
        name,
        "HTTP",
        "HTTP1",
        80,
        VpcId,
        "instance",
        HealthCheckEnabled: true,
        "HTTP",
        "traffic-port",
        "/health",
        (int)Timings.HealthCheckInterval.TotalSeconds,
        (int)Timings.HealthCheckTimeout.TotalSeconds,
        Timings.HealthyThreshold,
        Timings.UnhealthyThreshold,
        "200",
        MatcherGrpcCode: null,
        "ipv4");

    private List<string> LoadBalancersOf(string targetGroupArn) =>
        [.. _listeners.Values
            .Where(l => l.DefaultActions.Concat(l.Rules.SelectMany(r => r.Actions))
                .Any(a => a.Forward?.TargetGroups.Any(t => t.TargetGroupArn == targetGroupArn) == true))
            .Select(l => l.LoadBalancerArn)
            .Distinct(StringComparer.Ordinal)];
}
