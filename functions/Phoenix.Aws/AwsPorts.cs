using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.SimpleSystemsManagement;
using Phoenix.Aws.Adapters;
using Phoenix.Aws.AutoScaling;
using Phoenix.Aws.CloudWatch;
using Phoenix.Aws.CodeBuild;
using Phoenix.Aws.ConfigService;
using Phoenix.Aws.ElasticLoadBalancingV2;
using Phoenix.Aws.SimpleNotificationService;
using Phoenix.Core.Domain;
using Phoenix.Core.Drift;
using Phoenix.Core.Ports;
using Phoenix.Core.Workflow;

namespace Phoenix.Aws;

/// <summary>How to create each AWS client the adapters use; <see cref="From"/> takes them from an <see cref="AwsClientFactory"/>.</summary>
public sealed record AwsClients(
    Func<AmazonAutoScalingClient> AutoScaling,
    Func<AmazonElasticLoadBalancingV2Client> ElasticLoadBalancingV2,
    Func<AmazonCloudWatchClient> CloudWatch,
    Func<AmazonSimpleNotificationServiceClient> SimpleNotificationService,
    Func<AmazonConfigServiceClient> ConfigService,
    Func<AmazonCodeBuildClient> CodeBuild,
    Func<IAmazonEC2> Ec2,
    Func<IAmazonDynamoDB> DynamoDb,
    Func<IAmazonSimpleSystemsManagement> SimpleSystemsManagement)
{
    public static AwsClients From(AwsClientFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new(
            factory.AutoScaling,
            factory.ElasticLoadBalancingV2,
            factory.CloudWatch,
            factory.SimpleNotificationService,
            factory.ConfigService,
            factory.CodeBuild,
            factory.Ec2,
            factory.DynamoDb,
            factory.SimpleSystemsManagement);
    }
}

/// <summary>
/// Every Core port over AWS, each adapter and its client created on the port's first call and kept after that. A
/// Lambda function runs one handler, which calls one or two services (Validate reads SSM only), so it must not pay
/// for building the others: the EC2 and DynamoDB clients alone cost more than the rest of the cold start. Plain
/// code, no container: trim- and AOT-safe.
/// </summary>
public sealed class AwsPorts : IDisposable
{
    private readonly List<IDisposable> _created = [];
    private readonly Lock _gate = new();

    public AwsPorts(AwsClients clients, PhoenixAwsOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        if (string.IsNullOrWhiteSpace(options.TableName))
        {
            throw new ArgumentException("The DynamoDB table name (PHOENIX_TABLE) is required.", nameof(options));
        }

        // One DynamoDB client however many adapters share it (lock, ledger, dedupe).
        var dynamoDb = new Lazy<IAmazonDynamoDB>(() => Track(clients.DynamoDb()));
        var parameters = new Lazy<ParameterStoreAdapter>(() => new ParameterStoreAdapter(Track(clients.SimpleSystemsManagement()), options.TopologyPrefix));
        var autoScaling = new LazyAutoScaling(new Lazy<IAutoScaling>(() => new AutoScalingAdapter(Track(clients.AutoScaling()))));
        var ec2 = new LazyEc2(new Lazy<IEc2>(() => new Ec2Adapter(Track(clients.Ec2()))));
        var notifier = new LazyNotifier(new Lazy<INotifier>(() => new NotifierAdapter(Track(clients.SimpleNotificationService()))));
        var locks = new LazyDeploymentLock(new Lazy<IDeploymentLock>(() => new DeploymentLockAdapter(dynamoDb.Value, options.TableName, time)));
        var ledger = new LazyDeploymentLedger(new Lazy<IDeploymentLedger>(() => new DeploymentLedgerAdapter(dynamoDb.Value, options.TableName)));
        var topologies = new LazyTopologyStore(parameters);

        var loadBalancer = new LazyLoadBalancer(new Lazy<ILoadBalancer>(() => new LoadBalancerAdapter(Track(clients.ElasticLoadBalancingV2()))));
        Workflow = new WorkflowPorts(
            topologies,
            autoScaling,
            ec2,
            loadBalancer,
            new LazyAlarms(new Lazy<IAlarms>(() => new AlarmsAdapter(Track(clients.CloudWatch())))),
            new LazyImageBaker(new Lazy<IImageBaker>(() => new ImageBakerAdapter(Track(clients.CodeBuild())))),
            locks,
            ledger,
            notifier);
        Drift = new DriftPorts(
            autoScaling,
            ec2,
            notifier,
            locks,
            ledger,
            topologies,
            new LazyDriftDedupeStore(new Lazy<IDriftDedupeStore>(() => new DriftDedupeAdapter(dynamoDb.Value, options.TableName))),
            new LazyDriftPolicySource(parameters),
            loadBalancer);
        ConfigEvaluations = new LazyConfigEvaluations(new Lazy<IConfigEvaluations>(() => new ConfigEvaluationsAdapter(Track(clients.ConfigService()))));
    }

    public WorkflowPorts Workflow { get; }

    public DriftPorts Drift { get; }

    public IConfigEvaluations ConfigEvaluations { get; }

    /// <summary>Disposes the clients that were created.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var client in _created)
            {
                client.Dispose();
            }

            _created.Clear();
        }
    }

    private T Track<T>(T client)
        where T : IDisposable
    {
        lock (_gate)
        {
            _created.Add(client);
        }

        return client;
    }

    private sealed class LazyTopologyStore(Lazy<ParameterStoreAdapter> adapter) : ITopologyStore
    {
        public Task<FleetTopology?> GetAsync(string application, CancellationToken cancellationToken) =>
            adapter.Value.GetAsync(application, cancellationToken);

        public Task<bool> CreateAsync(FleetTopology topology, CancellationToken cancellationToken) =>
            adapter.Value.CreateAsync(topology, cancellationToken);

        public Task<bool> PutImageAsync(string application, Colour colour, string imageId, CancellationToken cancellationToken) =>
            adapter.Value.PutImageAsync(application, colour, imageId, cancellationToken);

        public Task<string?> GetImageAsync(string application, Colour colour, CancellationToken cancellationToken) =>
            adapter.Value.GetImageAsync(application, colour, cancellationToken);
    }

    private sealed class LazyDriftPolicySource(Lazy<ParameterStoreAdapter> adapter) : IDriftPolicySource
    {
        public Task<DriftPolicy?> GetAsync(string application, CancellationToken cancellationToken) =>
            ((IDriftPolicySource)adapter.Value).GetAsync(application, cancellationToken);
    }

    private sealed class LazyAutoScaling(Lazy<IAutoScaling> adapter) : IAutoScaling
    {
        public Task<AutoScalingGroup?> DescribeAutoScalingGroupAsync(string groupName, CancellationToken cancellationToken) =>
            adapter.Value.DescribeAutoScalingGroupAsync(groupName, cancellationToken);

        public Task UpdateAutoScalingGroupAsync(UpdateAutoScalingGroup request, CancellationToken cancellationToken) =>
            adapter.Value.UpdateAutoScalingGroupAsync(request, cancellationToken);

        public Task SetDesiredCapacityAsync(string groupName, int desiredCapacity, CancellationToken cancellationToken) =>
            adapter.Value.SetDesiredCapacityAsync(groupName, desiredCapacity, cancellationToken);

        public Task TerminateInstanceInAutoScalingGroupAsync(string instanceId, bool shouldDecrementDesiredCapacity, CancellationToken cancellationToken) =>
            adapter.Value.TerminateInstanceInAutoScalingGroupAsync(instanceId, shouldDecrementDesiredCapacity, cancellationToken);

        public Task SuspendProcessesAsync(string groupName, IReadOnlyList<string> processes, CancellationToken cancellationToken) =>
            adapter.Value.SuspendProcessesAsync(groupName, processes, cancellationToken);

        public Task ResumeProcessesAsync(string groupName, IReadOnlyList<string> processes, CancellationToken cancellationToken) =>
            adapter.Value.ResumeProcessesAsync(groupName, processes, cancellationToken);

        public Task<IReadOnlyList<ScalingActivity>> DescribeScalingActivitiesAsync(string groupName, int maxRecords, CancellationToken cancellationToken) =>
            adapter.Value.DescribeScalingActivitiesAsync(groupName, maxRecords, cancellationToken);

        public Task CreateAutoScalingGroupAsync(CreateAutoScalingGroup request, CancellationToken cancellationToken) =>
            adapter.Value.CreateAutoScalingGroupAsync(request, cancellationToken);

        public Task DeleteAutoScalingGroupAsync(string groupName, CancellationToken cancellationToken) =>
            adapter.Value.DeleteAutoScalingGroupAsync(groupName, cancellationToken);

        public Task CreateOrUpdateTagsAsync(string groupName, IReadOnlyList<GroupTag> tags, CancellationToken cancellationToken) =>
            adapter.Value.CreateOrUpdateTagsAsync(groupName, tags, cancellationToken);
    }

    private sealed class LazyEc2(Lazy<IEc2> adapter) : IEc2
    {
        public Task<ImageDescription?> DescribeImageAsync(string imageId, CancellationToken cancellationToken) =>
            adapter.Value.DescribeImageAsync(imageId, cancellationToken);

        public Task<LaunchTemplateVersion> CreateLaunchTemplateVersionAsync(
            string launchTemplateId, string sourceVersion, string imageId, string clientToken, CancellationToken cancellationToken) =>
            adapter.Value.CreateLaunchTemplateVersionAsync(launchTemplateId, sourceVersion, imageId, clientToken, cancellationToken);

        public Task<LaunchTemplateVersion?> DescribeLaunchTemplateVersionAsync(string launchTemplateId, string version, CancellationToken cancellationToken) =>
            adapter.Value.DescribeLaunchTemplateVersionAsync(launchTemplateId, version, cancellationToken);

        public Task<IReadOnlyList<InstanceDescription>> DescribeInstancesAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken) =>
            adapter.Value.DescribeInstancesAsync(instanceIds, cancellationToken);

        public Task CreateTagsAsync(string resourceId, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken) =>
            adapter.Value.CreateTagsAsync(resourceId, tags, cancellationToken);
    }

    private sealed class LazyLoadBalancer(Lazy<ILoadBalancer> adapter) : ILoadBalancer
    {
        public Task<IReadOnlyList<ListenerAction>> DescribeListenerActionsAsync(string listenerArn, CancellationToken cancellationToken) =>
            adapter.Value.DescribeListenerActionsAsync(listenerArn, cancellationToken);

        public Task ModifyListenerActionsAsync(string listenerArn, IReadOnlyList<ListenerAction> defaultActions, CancellationToken cancellationToken) =>
            adapter.Value.ModifyListenerActionsAsync(listenerArn, defaultActions, cancellationToken);

        public Task<IReadOnlyList<ListenerRule>> DescribeRulesAsync(string listenerArn, CancellationToken cancellationToken) =>
            adapter.Value.DescribeRulesAsync(listenerArn, cancellationToken);

        public Task ModifyRuleActionsAsync(string ruleArn, IReadOnlyList<ListenerAction> actions, CancellationToken cancellationToken) =>
            adapter.Value.ModifyRuleActionsAsync(ruleArn, actions, cancellationToken);

        public Task<IReadOnlyList<TargetHealthDescription>> DescribeTargetHealthAsync(string targetGroupArn, CancellationToken cancellationToken) =>
            adapter.Value.DescribeTargetHealthAsync(targetGroupArn, cancellationToken);

        public Task<ListenerDescription?> DescribeListenerAsync(string listenerArn, CancellationToken cancellationToken) =>
            adapter.Value.DescribeListenerAsync(listenerArn, cancellationToken);

        public Task<TargetGroupDescription?> DescribeTargetGroupAsync(string arnOrName, bool byName, CancellationToken cancellationToken) =>
            adapter.Value.DescribeTargetGroupAsync(arnOrName, byName, cancellationToken);

        public Task<string> CreateTargetGroupAsync(TargetGroupSettings settings, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken) =>
            adapter.Value.CreateTargetGroupAsync(settings, tags, cancellationToken);

        public Task DeleteTargetGroupAsync(string targetGroupArn, CancellationToken cancellationToken) =>
            adapter.Value.DeleteTargetGroupAsync(targetGroupArn, cancellationToken);

        public Task AddTagsAsync(IReadOnlyList<string> resourceArns, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken) =>
            adapter.Value.AddTagsAsync(resourceArns, tags, cancellationToken);
    }

    private sealed class LazyAlarms(Lazy<IAlarms> adapter) : IAlarms
    {
        public Task<IReadOnlyList<AlarmDescription>> DescribeAlarmsAsync(IReadOnlyList<string> alarmNames, CancellationToken cancellationToken) =>
            adapter.Value.DescribeAlarmsAsync(alarmNames, cancellationToken);
    }

    private sealed class LazyImageBaker(Lazy<IImageBaker> adapter) : IImageBaker
    {
        public Task<string> StartBakeAsync(BakeRequest request, CancellationToken cancellationToken) =>
            adapter.Value.StartBakeAsync(request, cancellationToken);

        public Task<BakeStatus> GetBakeAsync(string bakeId, CancellationToken cancellationToken) =>
            adapter.Value.GetBakeAsync(bakeId, cancellationToken);

        public Task<string?> GetSourceTypeAsync(string projectName, CancellationToken cancellationToken) =>
            adapter.Value.GetSourceTypeAsync(projectName, cancellationToken);
    }

    private sealed class LazyDeploymentLock(Lazy<IDeploymentLock> adapter) : IDeploymentLock
    {
        public Task<LockAttempt> TryAcquireAsync(string application, string owner, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
            adapter.Value.TryAcquireAsync(application, owner, expiresAt, cancellationToken);

        public Task<bool> ReleaseAsync(string application, string owner, CancellationToken cancellationToken) =>
            adapter.Value.ReleaseAsync(application, owner, cancellationToken);

        public Task<DeploymentLockRecord?> GetAsync(string application, CancellationToken cancellationToken) =>
            adapter.Value.GetAsync(application, cancellationToken);
    }

    private sealed class LazyDeploymentLedger(Lazy<IDeploymentLedger> adapter) : IDeploymentLedger
    {
        public Task PutAsync(DeploymentRecord record, CancellationToken cancellationToken) =>
            adapter.Value.PutAsync(record, cancellationToken);

        public Task<DeploymentRecord?> GetAsync(string application, string deploymentId, CancellationToken cancellationToken) =>
            adapter.Value.GetAsync(application, deploymentId, cancellationToken);

        public Task<IReadOnlyList<DeploymentRecord>> ListAsync(string application, int limit, CancellationToken cancellationToken) =>
            adapter.Value.ListAsync(application, limit, cancellationToken);
    }

    private sealed class LazyNotifier(Lazy<INotifier> adapter) : INotifier
    {
        public Task PublishAsync(string topicArn, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken) =>
            adapter.Value.PublishAsync(topicArn, messages, cancellationToken);
    }

    private sealed class LazyDriftDedupeStore(Lazy<IDriftDedupeStore> adapter) : IDriftDedupeStore
    {
        public Task<DedupeClaim> TryOpenAsync(DriftMark mark, DateTimeOffset now, CancellationToken cancellationToken) =>
            adapter.Value.TryOpenAsync(mark, now, cancellationToken);

        public Task<DedupeClaim> TryResolveAsync(DriftMark mark, CancellationToken cancellationToken) =>
            adapter.Value.TryResolveAsync(mark, cancellationToken);

        public Task RestoreAsync(DriftMark applied, DriftMark? previous, CancellationToken cancellationToken) =>
            adapter.Value.RestoreAsync(applied, previous, cancellationToken);
    }

    private sealed class LazyConfigEvaluations(Lazy<IConfigEvaluations> adapter) : IConfigEvaluations
    {
        public Task PutEvaluationsAsync(string resultToken, IReadOnlyList<ConfigEvaluation> evaluations, bool testMode, CancellationToken cancellationToken) =>
            adapter.Value.PutEvaluationsAsync(resultToken, evaluations, testMode, cancellationToken);
    }
}
