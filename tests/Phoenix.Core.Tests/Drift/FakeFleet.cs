using Phoenix.Cli.Simulation.Drift;
using Phoenix.Core.Domain;
using Phoenix.Core.Drift;
using Phoenix.Core.Ports;

namespace Phoenix.Core.Tests.Drift;

/// <summary>
/// A small, fully controllable fleet for drift tests: instances change state only when a test says so, so guardrails
/// can be checked at exact states (the simulated region's timers would move them on their own).
/// </summary>
internal sealed class FakeFleet
{
    public const string Application = "web";
    public const string BlueGroup = "phoenix-web-blue";
    public const string GreenGroup = "phoenix-web-green";
    public const string TemplateId = "lt-0blue";
    public const string GoodImage = "ami-0000000000000000a";
    public const string OldImage = "ami-0000000000000000b";
    public const string TopicArn = "arn:aws:sns:eu-west-1:123456789012:phoenix-drift";

    private readonly Dictionary<string, FakeInstance> _instances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeploymentLockRecord> _locks = new(StringComparer.Ordinal);
    private readonly List<DeploymentRecord> _ledger = [];
    private int _next;

    public FakeFleet(TimeProvider time, int minHealthyPercentage = 50)
    {
        Time = time;
        Topology = new FleetTopology(
            Application,
            new ColourResources(BlueGroup, "arn:tg/blue", TemplateId),
            new ColourResources(GreenGroup, "arn:tg/green", "lt-0green"),
            "arn:listener",
            [],
            MinHealthyPercentage: minHealthyPercentage);
        Ports = new DriftPorts(new FakeAutoScaling(this), new FakeEc2(this), new FakeNotifier(this), new FakeLock(this), new FakeLedger(this), new FakeTopology(this), Dedupe, Policies);
    }

    public TimeProvider Time { get; }

    public FleetTopology Topology { get; set; }

    public DriftPorts Ports { get; }

    public InMemoryDriftDedupeStore Dedupe { get; } = new();

    public InMemoryDriftPolicies Policies { get; } = new();

    public int DesiredCapacity { get; set; }

    public string GroupImage { get; set; } = GoodImage;

    /// <summary>When set, the blue group launches from this launch configuration instead of its launch template.</summary>
    public string? BlueLaunchConfiguration { get; set; }

    public List<List<OutgoingMessage>> PublishedBatches { get; } = [];

    public List<string> Terminated { get; } = [];

    public IReadOnlyList<DeploymentRecord> Ledger => _ledger;

    public int NotifierFailuresLeft { get; set; }

    public int LockFailuresLeft { get; set; }

    /// <summary>Called at the instant of every TerminateInstanceInAutoScalingGroup, before the state changes.</summary>
    public Action<string>? OnTerminate { get; set; }

    public IEnumerable<FakeInstance> GroupInstances => _instances.Values.Where(i => i.Group == BlueGroup);

    public string AddInstance(string image, string lifecycle = "InService", string health = "Healthy", string? group = BlueGroup, string? application = Application, string? id = null)
    {
        id ??= $"i-{++_next:x17}";
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (group is not null)
        {
            tags[PhoenixTags.AutoScalingGroupName] = group;
        }

        if (application is not null)
        {
            tags[PhoenixTags.Application] = application;
        }

        _instances[id] = new FakeInstance(id, image, group, tags) { Lifecycle = lifecycle, Health = health };
        if (group == BlueGroup && lifecycle != "Terminating")
        {
            DesiredCapacity = GroupInstances.Count(i => i.Lifecycle != "Terminating");
        }

        return id;
    }

    public FakeInstance Instance(string id) => _instances[id];

    public void HoldLock(string owner, TimeSpan for_) => _locks[Application] = new DeploymentLockRecord(Application, owner, Time.GetUtcNow(), Time.GetUtcNow() + for_);

    public void DropLock() => _locks.Remove(Application);

    public DeploymentLockRecord? LockRecord => _locks.GetValueOrDefault(Application);

    public int HealthyInGroup => GroupInstances.Count(i => i.Lifecycle == "InService" && i.Health == "Healthy");

    internal sealed class FakeInstance(string id, string image, string? group, Dictionary<string, string> tags)
    {
        public string Id { get; } = id;

        public string Image { get; } = image;

        public string? Group { get; } = group;

        public Dictionary<string, string> Tags { get; } = tags;

        public string Lifecycle { get; set; } = "InService";

        public string Health { get; set; } = "Healthy";
    }

    private sealed class FakeAutoScaling(FakeFleet fleet) : IAutoScaling
    {
        public Task<AutoScalingGroup?> DescribeAutoScalingGroupAsync(string groupName, CancellationToken cancellationToken)
        {
            if (groupName != BlueGroup && groupName != GreenGroup)
            {
                return Task.FromResult<AutoScalingGroup?>(null);
            }

            var instances = fleet._instances.Values.Where(i => i.Group == groupName)
                .Select(i => new AutoScalingInstance(i.Id, i.Lifecycle, i.Health, new LaunchTemplateSpecification(TemplateId, "1"))).ToList();
            var desired = groupName == BlueGroup ? fleet.DesiredCapacity : 0;
            var configuration = groupName == BlueGroup ? fleet.BlueLaunchConfiguration : null;
            var template = configuration is null ? new LaunchTemplateSpecification(groupName == BlueGroup ? TemplateId : "lt-0green", "1") : null;
            return Task.FromResult<AutoScalingGroup?>(new AutoScalingGroup(groupName, 0, 10, desired, template, instances, [], LaunchConfigurationName: configuration));
        }

        public Task UpdateAutoScalingGroupAsync(UpdateAutoScalingGroup request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task SetDesiredCapacityAsync(string groupName, int desiredCapacity, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task CreateAutoScalingGroupAsync(CreateAutoScalingGroup request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteAutoScalingGroupAsync(string groupName, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task CreateOrUpdateTagsAsync(string groupName, IReadOnlyList<GroupTag> tags, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task SuspendProcessesAsync(string groupName, IReadOnlyList<string> processes, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task ResumeProcessesAsync(string groupName, IReadOnlyList<string> processes, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<ScalingActivity>> DescribeScalingActivitiesAsync(string groupName, int maxRecords, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task TerminateInstanceInAutoScalingGroupAsync(string instanceId, bool shouldDecrementDesiredCapacity, CancellationToken cancellationToken)
        {
            Assert.False(shouldDecrementDesiredCapacity);
            fleet.OnTerminate?.Invoke(instanceId);
            fleet.Terminated.Add(instanceId);
            fleet._instances[instanceId].Lifecycle = "Terminating";
            return Task.CompletedTask;
        }
    }

    private sealed class FakeEc2(FakeFleet fleet) : IEc2
    {
        public Task<ImageDescription?> DescribeImageAsync(string imageId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<LaunchTemplateVersion> CreateLaunchTemplateVersionAsync(string launchTemplateId, string sourceVersion, string imageId, string clientToken, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<LaunchTemplateVersion?> DescribeLaunchTemplateVersionAsync(string launchTemplateId, string version, CancellationToken cancellationToken) =>
            Task.FromResult<LaunchTemplateVersion?>(new LaunchTemplateVersion(launchTemplateId, 1, launchTemplateId == TemplateId ? fleet.GroupImage : GoodImage));

        public Task<IReadOnlyList<InstanceDescription>> DescribeInstancesAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<InstanceDescription>>(instanceIds.Where(fleet._instances.ContainsKey).Select(id =>
            {
                var i = fleet._instances[id];
                return new InstanceDescription(i.Id, i.Image, i.Lifecycle == "Terminating" ? "shutting-down" : "running", i.Tags);
            }).ToList());

        public Task CreateTagsAsync(string resourceId, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class FakeNotifier(FakeFleet fleet) : INotifier
    {
        public Task PublishAsync(string topicArn, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
        {
            Assert.Equal(TopicArn, topicArn);
            Assert.InRange(messages.Count, 1, 10);
            Assert.Equal(messages.Count, messages.Select(m => m.Id).Distinct().Count());
            if (fleet.NotifierFailuresLeft > 0)
            {
                fleet.NotifierFailuresLeft--;
                throw new TransientFailure("SNS PublishBatch throttled.");
            }

            fleet.PublishedBatches.Add([.. messages]);
            return Task.CompletedTask;
        }
    }

    private sealed class FakeLock(FakeFleet fleet) : IDeploymentLock
    {
        public Task<LockAttempt> TryAcquireAsync(string application, string owner, DateTimeOffset expiresAt, CancellationToken cancellationToken)
        {
            if (fleet.LockFailuresLeft > 0)
            {
                fleet.LockFailuresLeft--;
                throw new TransientFailure("DynamoDB throttled.");
            }

            var now = fleet.Time.GetUtcNow();
            if (fleet._locks.TryGetValue(application, out var holder) && holder.ExpiresAt > now && holder.Owner != owner)
            {
                return Task.FromResult(new LockAttempt(false, holder));
            }

            var record = new DeploymentLockRecord(application, owner, now, expiresAt);
            fleet._locks[application] = record;
            return Task.FromResult(new LockAttempt(true, record));
        }

        public Task<bool> ReleaseAsync(string application, string owner, CancellationToken cancellationToken)
        {
            if (fleet._locks.TryGetValue(application, out var holder) && holder.Owner == owner)
            {
                fleet._locks.Remove(application);
                return Task.FromResult(true);
            }

            return Task.FromResult(false);
        }

        public Task<DeploymentLockRecord?> GetAsync(string application, CancellationToken cancellationToken) =>
            Task.FromResult(fleet._locks.GetValueOrDefault(application));
    }

    private sealed class FakeLedger(FakeFleet fleet) : IDeploymentLedger
    {
        public Task PutAsync(DeploymentRecord record, CancellationToken cancellationToken)
        {
            fleet._ledger.RemoveAll(r => r.Application == record.Application && r.DeploymentId == record.DeploymentId);
            fleet._ledger.Add(record);
            return Task.CompletedTask;
        }

        public Task<DeploymentRecord?> GetAsync(string application, string deploymentId, CancellationToken cancellationToken) =>
            Task.FromResult(fleet._ledger.Find(r => r.Application == application && r.DeploymentId == deploymentId));

        public Task<IReadOnlyList<DeploymentRecord>> ListAsync(string application, int limit, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<DeploymentRecord>>(fleet._ledger.Where(r => r.Application == application).OrderByDescending(r => r.StartedAt).Take(limit).ToList());
    }

    private sealed class FakeTopology(FakeFleet fleet) : ITopologyStore
    {
        public Task<FleetTopology?> GetAsync(string application, CancellationToken cancellationToken) =>
            Task.FromResult(application == fleet.Topology.Application ? fleet.Topology : null);

        public Task<bool> CreateAsync(FleetTopology topology, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> PutImageAsync(string application, Colour colour, string imageId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<string?> GetImageAsync(string application, Colour colour, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
