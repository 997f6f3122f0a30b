using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Phoenix.Asl;
using Phoenix.Asl.Graph;
using Phoenix.Cli.Workflow;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;
using Phoenix.Core.Workflow;

namespace Phoenix.Cli.Simulation;

/// <summary>A human answering the approval request some virtual time after it was published.</summary>
public sealed record ApprovalPlan(bool Approve, TimeSpan After, string Reason = "Rejected by the on-call engineer (simulated)");

/// <summary>
/// Faults of one Step Functions execution. <see cref="AbortAtState"/>: StopExecution is called when the execution enters
/// that state for the <see cref="AbortAtVisit"/>-th time (the status-change event then reaches the drift handler, as on
/// AWS). <see cref="LambdaTimeoutStep"/>: that step's first invocation runs until the function's timeout and fails with
/// Lambda.Unknown; <see cref="TimedOutWorkDone"/> says whether its work happened before the timeout (AWS does not say).
/// </summary>
public sealed record ExecutionFaults(
    string? AbortAtState = null, int AbortAtVisit = 1, string? LambdaTimeoutStep = null, bool TimedOutWorkDone = true)
{
    /// <summary>The step functions' timeout (PhoenixFunction's default in the CDK app).</summary>
    public static readonly TimeSpan FunctionTimeout = TimeSpan.FromSeconds(30);
}

/// <summary>A deployment after the first: it starts <see cref="After"/> once the previous one ended (and its cleanup ran).</summary>
public sealed record FollowUpDeployment(TimeSpan After, string? ImageId = null, bool ImageHealthy = true, ExecutionFaults? Faults = null);

/// <summary>How an earlier lock record was left behind.</summary>
public enum StaleLock
{
    None,

    /// <summary>A dead execution's lock whose expiry has passed: the next deployment takes it over.</summary>
    Expired,

    /// <summary>A dead execution's lock that has not expired yet: the next deployment is refused.</summary>
    Live,
}

/// <summary>
/// What an earlier failure left in the fleet before the deployment: <see cref="IdleInstances"/> running the old image in
/// the idle group (a failed scale-down, a scheduled action), <see cref="StalePins"/> (an older execution's MaxSize pin on
/// the live group and AZRebalance/ScheduledActions suspended on both groups), a stale lock, an alarm already in ALARM.
/// </summary>
public sealed record Leftovers(int IdleInstances = 0, bool StalePins = false, StaleLock StaleLock = StaleLock.None, bool AlarmFiring = false)
{
    /// <summary>The owner of a stale lock: an execution that no longer runs.</summary>
    public const string DeadExecution = "arn:aws:states:us-east-1:000000000000:execution:phoenix-deploy:web-dead";

    /// <summary>How long before the first deployment the leftovers are arranged, so idle instances are running by then.</summary>
    public static readonly TimeSpan Lead = TimeSpan.FromMinutes(15);

    public bool Any => IdleInstances > 0 || StalePins || StaleLock != StaleLock.None || AlarmFiring;
}

/// <summary>Everything one simulated deployment starts from: the fleet, the request, the timing model and the faults.</summary>
public sealed record SimulationSetup
{
    public const string DefaultInitialImage = "ami-0a1b2c3d4e5f60718";

    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    public string Application { get; init; } = "web";

    /// <summary>The fleet's capacity: blue's instances at the start, and the topology's DefaultCapacity.</summary>
    public int Capacity { get; init; } = 4;

    /// <summary>Blue's instances at the start when not <see cref="Capacity"/>: 0 is a first deployment to an empty fleet.</summary>
    public int? InitialCapacity { get; init; }

    public string InitialImageId { get; init; } = DefaultInitialImage;

    /// <summary>The image to deploy (registered in the region and passed as imageId, so the bake is skipped); null bakes one.</summary>
    public string? ImageId { get; init; }

    /// <summary>False: the given image's instances never pass health checks.</summary>
    public bool ImageHealthy { get; init; } = true;

    /// <summary>The given image's application boot time, when it differs from the timing model's.</summary>
    public TimeSpan? ImageBoot { get; init; }

    /// <summary>The fleet's Auto Scaling HealthCheckGracePeriod, when it differs from the timing model's.</summary>
    public TimeSpan? HealthCheckGracePeriod { get; init; }

    public SimulationTimings Timings { get; init; } = SimulationTimings.Default;

    public FaultPlan Faults { get; init; } = FaultPlan.None;

    public IReadOnlyList<int>? TrafficSteps { get; init; }

    public int? StepWaitSeconds { get; init; }

    public int? BakeTimeSeconds { get; init; }

    public int? KeepPreviousSeconds { get; init; }

    public int? HealthTimeoutSeconds { get; init; }

    public bool DryRun { get; init; }

    /// <summary>When set, the request asks for approval and this approver answers.</summary>
    public ApprovalPlan? Approval { get; init; }

    /// <summary>This step's Lambda invocation fails once with Lambda.ServiceException (the ASL retries it).</summary>
    public string? CrashOnceStep { get; init; }

    /// <summary>When set, a second deployment of the same application starts this long after the first.</summary>
    public TimeSpan? ConcurrentDeploymentAfter { get; init; }

    /// <summary>
    /// Tests only: runs on the host's thread right after the first execution started, before the second's timer is armed;
    /// a test stalls here as a preempted thread would.
    /// </summary>
    internal Action<TimeProvider>? AfterFirstExecutionStarted { get; init; }

    public DeploymentSource Source { get; init; } = new("9f2c1ab", "github.com/acme/web", "phoenix simulate");

    /// <summary>What the listener has besides Phoenix's weighted forward (authentication, stickiness, rules); null: nothing.</summary>
    public ListenerSpec? Listener { get; init; }

    /// <summary>What earlier work left behind in the fleet before the first deployment starts; null: a clean fleet.</summary>
    public Leftovers? Leftovers { get; init; }

    /// <summary>Faults of the first deployment's Step Functions execution (an abort, a Lambda timeout).</summary>
    public ExecutionFaults? ExecutionFaults { get; init; }

    /// <summary>Both groups have a MixedInstancesPolicy (which Phoenix does not manage).</summary>
    public bool MixedInstancesPolicy { get; init; }

    /// <summary>Both groups have a warm pool (which Phoenix does not manage).</summary>
    public bool WarmPool { get; init; }

    /// <summary>Deployments that follow the first one, each after the previous ended and a gap.</summary>
    public IReadOnlyList<FollowUpDeployment> FollowUps { get; init; } = [];

    public DateTimeOffset Start { get; init; } = DefaultStart;

    /// <summary>The workflow input, as a console, CodePipeline or the CLI would send it.</summary>
    public JsonObject BuildInput()
    {
        var strategy = new JsonObject();
        if (TrafficSteps is { } steps)
        {
            strategy["trafficSteps"] = new JsonArray([.. steps.Select(s => (JsonNode)s)]);
        }

        void Seconds(string name, int? value)
        {
            if (value is { } v)
            {
                strategy[name] = v;
            }
        }

        Seconds("stepWaitSeconds", StepWaitSeconds);
        Seconds("bakeTimeSeconds", BakeTimeSeconds);
        Seconds("keepPreviousSeconds", KeepPreviousSeconds);
        Seconds("healthTimeoutSeconds", HealthTimeoutSeconds);
        if (Approval is not null)
        {
            strategy["approval"] = true;
        }

        var input = new JsonObject
        {
            ["application"] = Application,
            ["source"] = new JsonObject { ["commit"] = Source.Commit, ["repository"] = Source.Repository, ["trigger"] = Source.Trigger },
        };
        if (ImageId is { } image)
        {
            input["imageId"] = image;
        }

        if (strategy.Count > 0)
        {
            input["strategy"] = strategy;
        }

        if (DryRun)
        {
            input["dryRun"] = true;
        }

        return input;
    }
}

/// <summary>A line of live progress: a state was entered (<c>State</c>) or the execution ended (<c>End</c>), with the fleet then.</summary>
public sealed record ProgressUpdate(TimeSpan Elapsed, string Kind, string? State, FleetObservation Fleet, string ExecutionName);

/// <summary>
/// Runs statemachines/deploy.asl.json on the ASL engine with the real Core steps (through <see cref="StepCatalog"/>,
/// the same JSON contract the Lambda host serves) against a <see cref="SimulatedRegion"/>, all on one
/// <see cref="VirtualClock"/>: only the port adapters differ from production. An execution that ends FAILED, TIMED_OUT or
/// ABORTED sends its status-change event to the drift handler, as EventBridge does, so its cleanup runs too.
/// </summary>
public static class DeploymentSimulation
{
    public const string StateMachineName = "phoenix-deploy";

    // Parsed once per process: a definition is immutable and shared by every execution, as on AWS.
    private static readonly Lazy<StateMachineDefinition> ShippedDefinition = new(() => DeployDefinition.Load(StepNames(), FunctionArn));
    private static readonly Lazy<AslGraph> ShippedShape = new(() => AslGraph.Parse(DeployDefinition.ReadEmbedded()));

    /// <summary>The ARN each <c>${StepFunctionArn}</c> placeholder becomes, as the CDK stack would substitute it.</summary>
    public static string FunctionArn(string step) => DeployDefinition.FunctionArn(SimulatedRegion.RegionName, SimulatedRegion.AccountId, step);

    /// <summary>The shipped workflow's shape (its loops and Task states), read from the same file the engine runs.</summary>
    public static AslGraph Shape => ShippedShape.Value;

    /// <summary>The shipped workflow's state names (where an abort can happen).</summary>
    public static IReadOnlyCollection<string> StateNames => ShippedDefinition.Value.StateNames;

    /// <summary>The step names (Lambda functions) the workflow invokes.</summary>
    public static IReadOnlyCollection<string> Steps => StepNames();

    public static async Task<SimulationResult> RunAsync(SimulationSetup setup, Action<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var lead = setup.Leftovers is { Any: true } ? Leftovers.Lead : TimeSpan.Zero;
        var clock = new VirtualClock(setup.Start - lead);
        var region = new SimulatedRegion(clock, setup.Timings, setup.Faults, epoch: setup.Start);
        var topology = region.CreateFleet(new FleetSpec(
            setup.Application, setup.Capacity, setup.InitialImageId, setup.InitialCapacity ?? setup.Capacity, setup.HealthCheckGracePeriod, setup.Listener));
        RegisterImage(region, setup, setup.ImageId, setup.ImageHealthy, setup.ImageBoot);
        foreach (var followUp in setup.FollowUps)
        {
            RegisterImage(region, setup, followUp.ImageId, followUp.ImageHealthy, null);
        }

        if (setup.MixedInstancesPolicy || setup.WarmPool)
        {
            region.SetGroupFeatures(topology.Blue.AutoScalingGroupName, setup.MixedInstancesPolicy, setup.WarmPool);
            region.SetGroupFeatures(topology.Green.AutoScalingGroupName, setup.MixedInstancesPolicy, setup.WarmPool);
        }

        var timeline = new TimelineRecorder(region, topology);
        if (setup.Leftovers is { Any: true } leftovers)
        {
            Arrange(region, topology, setup, leftovers);
            Settle(clock, lead);
        }

        var initialFleet = region.ObserveFleet(topology);
        var catalog = new StepCatalog(
            new WorkflowPorts(region.Topology, region.AutoScaling, region.Ec2, region.LoadBalancer, region.Alarms, region.Baker, region.Locks, region.Ledger, region.Notifier),
            clock);
        var definition = ShippedDefinition.Value;
        // By execution name. The engine may call back (a task, a history event, an approval timer) on the clock's thread
        // before Start has returned the execution to this one: callbacks wait for the handle.
        var executions = new ConcurrentDictionary<string, TaskCompletionSource<AslExecution>>(StringComparer.Ordinal);
        AslExecution Handle(string name) =>
            executions.GetOrAdd(name, _ => new TaskCompletionSource<AslExecution>(TaskCreationOptions.RunContinuationsAsynchronously)).Task.GetAwaiter().GetResult();
        AslExecution Started(string name, AslExecution execution)
        {
            executions.GetOrAdd(name, _ => new TaskCompletionSource<AslExecution>(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult(execution);
            return execution;
        }

        var faultsByExecution = new ConcurrentDictionary<string, ExecutionFaults>(StringComparer.Ordinal);
        var timedOut = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var crashes = 0;
        var tasks = new TaskRegistry();
        foreach (var step in catalog.Names)
        {
            tasks.Register(FunctionArn(step), async (request, ct) =>
            {
                var name = request.Context["Execution"]?["Name"]?.GetValue<string>() ?? "";
                if (step == setup.CrashOnceStep && Interlocked.Increment(ref crashes) == 1)
                {
                    throw new TaskFailedException(
                        "Lambda.ServiceException",
                        $"Lambda was unable to run phoenix-{step}: the invocation failed in the service (simulated crash, once).");
                }

                if (faultsByExecution.TryGetValue(name, out var faults) && faults.LambdaTimeoutStep == step && timedOut.TryAdd(name, true))
                {
                    await TimeOutAsync(catalog, step, request, faults, clock, ct);
                }

                var output = await catalog.InvokeAsync(step, request.Input, ct);
                if (request.TaskToken is { } token && setup.Approval is { } approval)
                {
                    Answer(clock, () => Handle(name), token, approval);
                }

                return output;
            });
        }

        ExecutionOptions Options(string name) => new()
        {
            Time = clock,
            Tasks = tasks,
            ExecutionName = name,
            StateMachineName = StateMachineName,
            Region = SimulatedRegion.RegionName,
            AccountId = SimulatedRegion.AccountId,
            OnEvent = e =>
            {
                if (progress is not null && e.Type is "ExecutionSucceeded" or "ExecutionFailed" or "ExecutionAborted" or "ExecutionTimedOut")
                {
                    progress(new ProgressUpdate(e.Timestamp - setup.Start, "End", null, region.ObserveFleet(topology), name));
                    return;
                }

                if (!e.Type.EndsWith("StateEntered", StringComparison.Ordinal))
                {
                    return;
                }

                if (progress is not null)
                {
                    progress(new ProgressUpdate(e.Timestamp - setup.Start, "State", e.StateName, region.ObserveFleet(topology), name));
                }

                if (faultsByExecution.TryGetValue(name, out var faults) && faults.AbortAtState == e.StateName
                    && Handle(name) is var execution
                    && execution.History.Count(h => h.StateName == e.StateName && h.Type.EndsWith("StateEntered", StringComparison.Ordinal)) == faults.AbortAtVisit)
                {
                    execution.Stop("States.Aborted", $"Stopped by an operator while in {e.StateName} (simulated abort).");
                }
            },
        };

        var cleanup = new ExecutionCleanup(region, setup.Application);
        var runs = new List<DeploymentRun>();
        var deploymentName = $"{setup.Application}-{setup.Start:yyyyMMddTHHmmss}";
        var input = setup.BuildInput();
        if (setup.ExecutionFaults is { } firstFaults)
        {
            faultsByExecution[deploymentName] = firstFaults;
        }

        var givenImage = setup.ImageId;
        var before = Snapshot(region, topology);
        AslExecution main;
        ITimer? concurrentTimer = null;
        AslExecution? concurrent = null;
        // Held while the first execution starts and the second's timer is armed: otherwise the scheduler thread can run
        // the first execution on (and move the clock) before this thread arms the timer, which then falls due late or
        // after the first execution has ended, when nothing fires it any more (the flaky "no second deployment").
        using (clock.Hold())
        {
            main = Started(deploymentName, AslEngine.Start(definition, input, Options(deploymentName)));
            setup.AfterFirstExecutionStarted?.Invoke(clock);
            if (setup.ConcurrentDeploymentAfter is { } after)
            {
                // Fires on the clock's scheduler thread, so the second execution starts at exactly that virtual moment,
                // in order with the first execution's own work.
                concurrentTimer = clock.CreateTimer(
                    _ => concurrent = Started(deploymentName + "-second", AslEngine.Start(definition, input.DeepClone(), Options(deploymentName + "-second"))),
                    null,
                    after,
                    Timeout.InfiniteTimeSpan);
            }
        }

        ExecutionResult result;
        using (cancellationToken.Register(() => main.Stop("States.Aborted", "The simulation was cancelled.")))
        {
            result = await main.Completion;
        }

        // No real-time wait: the timer's callback runs on the scheduler thread before any later work of the first
        // execution, including the step that completes it, so by now the second execution has started if its moment
        // came while the first ran; if it did not, the scheduler stopped with the first and the timer never fires.
        ExecutionResult? concurrentResult = Volatile.Read(ref concurrent) is { } second ? await second.Completion : null;
        concurrentTimer?.Dispose();
        var finishedAt = result.History.Count > 0 ? result.History[^1].Timestamp : clock.GetUtcNow();
        var cleaned = await cleanup.AfterAsync(clock, main.ExecutionArn, input, setup.Start, result, cancellationToken);
        var next = 0;
        foreach (var followUp in setup.FollowUps)
        {
            // Let the previous deployment's tail (draining, the kept-warm colour's scale-down) finish first.
            Settle(clock, followUp.After);
            runs.Add(Run(before, region, topology, main.ExecutionArn, result, givenImage, cleaned));
            var name = $"{deploymentName}-{++next}";
            if (followUp.Faults is { } followUpFaults)
            {
                faultsByExecution[name] = followUpFaults;
            }

            var followUpInput = new SimulationSetup { Application = setup.Application, Source = setup.Source, ImageId = followUp.ImageId }.BuildInput();
            before = Snapshot(region, topology);
            var startedAt = clock.GetUtcNow();
            var execution = Started(name, AslEngine.Start(definition, followUpInput, Options(name)));
            var followUpResult = await execution.Completion;
            cleaned = await cleanup.AfterAsync(clock, execution.ExecutionArn, followUpInput, startedAt, followUpResult, cancellationToken);
            (main, result, givenImage) = (execution, followUpResult, followUp.ImageId);
        }

        // Let what the workflow set in motion finish (draining targets, terminating instances), so the final fleet is
        // the settled one and the invariant is checked over that tail too.
        Settle(clock, TimeSpan.FromHours(2));
        runs.Add(Run(before, region, topology, main.ExecutionArn, result, givenImage, cleaned));
        return new SimulationResult(
            setup,
            runs,
            concurrentResult,
            region,
            topology,
            initialFleet,
            region.ObserveFleet(topology),
            timeline,
            finishedAt - setup.Start,
            crashes > 0 ? 1 : 0);
    }

    private static void RegisterImage(SimulatedRegion region, SimulationSetup setup, string? imageId, bool healthy, TimeSpan? boot)
    {
        if (imageId is not null && imageId != setup.InitialImageId && region.DescribeImage(imageId) is null)
        {
            region.RegisterImage(imageId, $"{setup.Application}-{setup.Source.Commit}", healthy, boot);
        }
    }

    private static void Arrange(SimulatedRegion region, FleetTopology topology, SimulationSetup setup, Leftovers leftovers)
    {
        if (leftovers.IdleInstances > 0)
        {
            var idle = region.ObserveFleet(topology).Green;
            region.ArrangeGroup(topology.Green.AutoScalingGroupName, maxSize: Math.Max(idle.MaxSize, leftovers.IdleInstances), desiredCapacity: leftovers.IdleInstances);
        }

        if (leftovers.StalePins)
        {
            var live = region.ObserveFleet(topology).Blue;
            region.ArrangeGroup(topology.Blue.AutoScalingGroupName, minSize: live.DesiredCapacity, maxSize: live.DesiredCapacity);
            region.ArrangeSuspended(topology.Blue.AutoScalingGroupName, FleetRestore.SuspendedDuringDeployment);
            region.ArrangeSuspended(topology.Green.AutoScalingGroupName, FleetRestore.SuspendedDuringDeployment);
            if (leftovers.StaleLock != StaleLock.None)
            {
                // The dead execution that holds the lock made these changes, so (like every Phoenix execution) it recorded
                // its restore point in its ledger entry before the first of them.
                var suspended = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
                {
                    [topology.Blue.AutoScalingGroupName] = FleetRestore.SuspendedDuringDeployment,
                    [topology.Green.AutoScalingGroupName] = FleetRestore.SuspendedDuringDeployment,
                };
                var startedAt = setup.Start - TimeSpan.FromHours(5);
                region.PutLedgerEntry(new DeploymentRecord(
                    setup.Application, new ExecutionRef(Leftovers.DeadExecution, startedAt).DeploymentId, DeploymentResults.InProgress,
                    ImageId: null, PreviousImageId: live.ImageId, Colour: "green", Commit: null, Repository: null, Trigger: "cli",
                    StartedBy: Leftovers.DeadExecution, startedAt, FinishedAt: null,
                    Restore: new RestorePoint("blue", new Capacity(live.MinSize, live.MaxSize, live.DesiredCapacity), "green", suspended)));
            }
        }

        switch (leftovers.StaleLock)
        {
            case StaleLock.Expired:
                region.PutLock(new(setup.Application, Leftovers.DeadExecution, setup.Start - TimeSpan.FromHours(5), setup.Start - TimeSpan.FromHours(1)));
                break;
            case StaleLock.Live:
                region.PutLock(new(setup.Application, Leftovers.DeadExecution, setup.Start - TimeSpan.FromHours(1), setup.Start + TimeSpan.FromHours(1)));
                break;
            default:
                break;
        }

        if (leftovers.AlarmFiring)
        {
            region.SetAlarmState(topology.AlarmNames[0], AwsStates.AlarmAlarm, "Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (5.0) (before the deployment)");
        }
    }

    /// <summary>
    /// A Lambda invocation that runs until the function's timeout: the step's work happens (or not) and the invocation
    /// then fails with Lambda.Unknown, as Lambda reports a timeout to Step Functions.
    /// </summary>
    private static async Task TimeOutAsync(StepCatalog catalog, string step, TaskRequest request, ExecutionFaults faults, VirtualClock clock, CancellationToken ct)
    {
        if (faults.TimedOutWorkDone)
        {
            try
            {
                await catalog.InvokeAsync(step, request.Input, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // What the step did before failing is done; its answer is lost to the timeout either way.
            }
        }

        await Task.Delay(ExecutionFaults.FunctionTimeout, clock, ct);
        throw new TaskFailedException(
            "Lambda.Unknown",
            "The cause could not be determined because Lambda did not return an error type. Returned payload: "
            + $"{{\"errorMessage\":\"Task timed out after {ExecutionFaults.FunctionTimeout.TotalSeconds:0.00} seconds\"}} (simulated timeout of phoenix-{step})");
    }

    private static RunSnapshot Snapshot(SimulatedRegion region, FleetTopology topology) => new(
        region.Now,
        region.ObserveFleet(topology),
        region.ListenerSettings(topology.ListenerArn),
        region.SuspendedProcessesOf(topology.Blue.AutoScalingGroupName),
        region.SuspendedProcessesOf(topology.Green.AutoScalingGroupName),
        region.PeekLock(topology.Application),
        region.Published.Count);

    private static DeploymentRun Run(
        RunSnapshot before, SimulatedRegion region, FleetTopology topology, string executionArn, ExecutionResult result, string? givenImage, StatusChangeOutcome? cleanup)
    {
        var after = Snapshot(region, topology);
        var deploymentId = executionArn[(executionArn.LastIndexOf(':') + 1)..];
        var entry = region.LedgerEntries(topology.Application).FirstOrDefault(r => r.DeploymentId == deploymentId);
        var output = result.Output as JsonObject;
        return new DeploymentRun(
            executionArn,
            result,
            before,
            after,
            entry,
            [.. region.Published.Skip(before.PublishedCount)],
            output?["image"]?["imageId"]?.GetValue<string>() ?? entry?.ImageId ?? givenImage,
            cleanup);
    }

    private static IReadOnlyCollection<string> StepNames()
    {
        var region = new SimulatedRegion(TimeProvider.System);
        return new StepCatalog(
            new WorkflowPorts(region.Topology, region.AutoScaling, region.Ec2, region.LoadBalancer, region.Alarms, region.Baker, region.Locks, region.Ledger, region.Notifier),
            TimeProvider.System).Names;
    }

    private static void Answer(VirtualClock clock, Func<AslExecution> handle, string token, ApprovalPlan approval)
    {
        var holder = new ITimer?[1];
        holder[0] = clock.CreateTimer(
            _ =>
            {
                holder[0]?.Dispose();
                var execution = handle();
                if (approval.Approve)
                {
                    execution.SendTaskSuccess(token, new JsonObject { ["approvedBy"] = "on-call@acme.example (simulated)" });
                }
                else
                {
                    execution.SendTaskFailure(token, "ApprovalRejected", approval.Reason);
                }
            },
            null,
            approval.After,
            Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Advances the clock once the executions have finished. Completion is signalled just before the clock's scheduler
    /// counts the execution as ended, so the first attempts may be told an execution still runs; they are retried.
    /// </summary>
    internal static void Settle(VirtualClock clock, TimeSpan span)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                clock.Advance(span);
                return;
            }
            catch (InvalidOperationException) when (attempt < 2000)
            {
                Thread.Sleep(1);
            }
        }
    }
}
