using Phoenix.Core.Drift;

namespace Phoenix.Cli.Simulation.Drift;

/// <summary>
/// Drift wired to a simulated region: the region's fleet ports plus the in-memory dedupe table, drift policies and
/// AWS Config. <see cref="RecordAsync"/> plays Config (record instances, run the ImmutableInstance rule, emit
/// compliance changes); <see cref="DeliverAsync"/> plays the SQS queue (batches of up to 10 to the DriftHandler).
/// </summary>
public sealed class DriftLab
{
    public const int SqsBatchSize = 10;
    private int _token;

    public DriftLab(SimulatedRegion region, IReadOnlyList<string> applications, DriftOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(region);
        Region = region;
        Options = options ?? new DriftOptions($"arn:aws:sns:{SimulatedRegion.RegionName}:{SimulatedRegion.AccountId}:phoenix-drift");
        Ec2 = new ApplicationTaggedEc2(region.Ec2, region, applications);
        Ports = new DriftPorts(region.AutoScaling, Ec2, region.Notifier, region.Locks, region.Ledger, region.Topology, Dedupe, Policies, region.LoadBalancer);
        Config = new InMemoryConfigService(Options.ImmutableInstanceRuleName, SimulatedRegion.AccountId, SimulatedRegion.RegionName);
        Handler = new DriftHandler(Ports, Options, region.Time);
        Rule = new ImmutableInstanceRule(Ec2, region.AutoScaling, region.Topology, Config, region.Time);
    }

    public SimulatedRegion Region { get; }

    public DriftOptions Options { get; }

    public ApplicationTaggedEc2 Ec2 { get; }

    public DriftPorts Ports { get; }

    public InMemoryDriftDedupeStore Dedupe { get; } = new();

    public InMemoryDriftPolicies Policies { get; } = new();

    public InMemoryConfigService Config { get; }

    public DriftHandler Handler { get; }

    public ImmutableInstanceRule Rule { get; }

    /// <summary>Config records each instance as it is now and invokes the rule; returns the compliance change events.</summary>
    public async Task<IReadOnlyList<string>> RecordAsync(IEnumerable<string> instanceIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instanceIds);
        var described = await Ec2.DescribeInstancesAsync([.. instanceIds], cancellationToken);
        foreach (var instance in described)
        {
            var invocation = ConfigEvents.InstanceChangeInvocation(
                Options.ImmutableInstanceRuleName, SimulatedRegion.AccountId, SimulatedRegion.RegionName, instance.InstanceId, instance.ImageId,
                instance.State, instance.Tags, Region.Now, $"token-{++_token}");
            await Rule.EvaluateAsync(invocation, cancellationToken);
        }

        return Config.DrainChangeEvents();
    }

    /// <summary>Hands the events to the DriftHandler in SQS batches, as the event source mapping would.</summary>
    public async Task<IReadOnlyList<DriftOutcome>> DeliverAsync(IReadOnlyList<string> bodies, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bodies);
        var outcomes = new List<DriftOutcome>();
        var number = 0;
        foreach (var batch in bodies.Chunk(SqsBatchSize))
        {
            var messages = batch.Select(body => new SqsMessage($"msg-{++number}", body)).ToList();
            var result = await Handler.HandleBatchAsync(messages, cancellationToken);
            outcomes.AddRange(result.Outcomes);
        }

        return outcomes;
    }
}
