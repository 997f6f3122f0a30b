using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Phoenix.Asl;
using Phoenix.Cli.Workflow;
using Phoenix.Core.Domain;
using Phoenix.Core.Workflow;

namespace Phoenix.Cli.Simulation;

/// <summary>A human answering the approval request some virtual time after it was published.</summary>
public sealed record ApprovalPlan(bool Approve, TimeSpan After, string Reason = "Rejected by the on-call engineer (simulated)");

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

    public DeploymentSource Source { get; init; } = new("9f2c1ab", "github.com/acme/web", "phoenix simulate");

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

/// <summary>A line of live progress: a state was entered, or the listener's weights changed.</summary>
public sealed record ProgressUpdate(TimeSpan Elapsed, string Kind, string? State, FleetObservation Fleet, string ExecutionName);

/// <summary>
/// Runs statemachines/deploy.asl.json on the ASL engine with the real Core steps (through <see cref="StepCatalog"/>,
/// the same JSON contract the Lambda host serves) against a <see cref="SimulatedRegion"/>, all on one
/// <see cref="VirtualClock"/>: only the port adapters differ from production.
/// </summary>
public static class DeploymentSimulation
{
    public const string StateMachineName = "phoenix-deploy";

    // Parsed once per process: a definition is immutable and shared by every execution, as on AWS.
    private static readonly Lazy<StateMachineDefinition> ShippedDefinition = new(() => DeployDefinition.Load(StepNames(), FunctionArn));

    /// <summary>The ARN each <c>${StepFunctionArn}</c> placeholder becomes, as the CDK stack would substitute it.</summary>
    public static string FunctionArn(string step) => DeployDefinition.FunctionArn(SimulatedRegion.RegionName, SimulatedRegion.AccountId, step);

    public static async Task<SimulationResult> RunAsync(SimulationSetup setup, Action<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var clock = new VirtualClock(setup.Start);
        var region = new SimulatedRegion(clock, setup.Timings, setup.Faults);
        var topology = region.CreateFleet(new FleetSpec(
            setup.Application, setup.Capacity, setup.InitialImageId, setup.InitialCapacity ?? setup.Capacity, setup.HealthCheckGracePeriod));
        if (setup.ImageId is { } imageId && setup.ImageId != setup.InitialImageId)
        {
            region.RegisterImage(imageId, $"{setup.Application}-{setup.Source.Commit}", setup.ImageHealthy, setup.ImageBoot);
        }

        var timeline = new TimelineRecorder(region, topology);
        var initialFleet = region.ObserveFleet(topology);
        var catalog = new StepCatalog(
            new WorkflowPorts(region.Topology, region.AutoScaling, region.Ec2, region.LoadBalancer, region.Alarms, region.Baker, region.Locks, region.Ledger, region.Notifier),
            clock);
        var definition = ShippedDefinition.Value;
        var executions = new ConcurrentDictionary<string, AslExecution>(StringComparer.Ordinal);
        var crashes = 0;
        var tasks = new TaskRegistry();
        foreach (var step in catalog.Names)
        {
            tasks.Register(FunctionArn(step), async (request, ct) =>
            {
                if (step == setup.CrashOnceStep && Interlocked.Increment(ref crashes) == 1)
                {
                    throw new TaskFailedException(
                        "Lambda.ServiceException",
                        $"Lambda was unable to run phoenix-{step}: the invocation failed in the service (simulated crash, once).");
                }

                var output = await catalog.InvokeAsync(step, request.Input, ct);
                if (request.TaskToken is { } token && setup.Approval is { } approval)
                {
                    var arn = request.Context["Execution"]?["Id"]?.GetValue<string>() ?? "";
                    Answer(clock, executions.GetValueOrDefault(arn), token, approval);
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
                if (progress is not null && e.Type.EndsWith("StateEntered", StringComparison.Ordinal))
                {
                    progress(new ProgressUpdate(e.Timestamp - setup.Start, "State", e.StateName, region.ObserveFleet(topology), name));
                }
            },
        };

        if (progress is not null)
        {
            timeline.PointRecorded += (_, point) =>
            {
                var previous = timeline.Points is { Count: > 1 } points ? points[^2] : null;
                if (previous is not null && (previous.Blue.Weight != point.Blue.Weight || previous.Green.Weight != point.Green.Weight))
                {
                    progress(new ProgressUpdate(point.At - setup.Start, "Traffic", null, region.ObserveFleet(topology), "listener"));
                }
            };
        }

        var input = setup.BuildInput();
        var deploymentName = $"{setup.Application}-{setup.Start:yyyyMMddTHHmmss}";
        var main = AslEngine.Start(definition, input, Options(deploymentName));
        executions[main.ExecutionArn] = main;
        ITimer? concurrentTimer = null;
        var concurrentStarted = new TaskCompletionSource<AslExecution?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (setup.ConcurrentDeploymentAfter is { } after)
        {
            concurrentTimer = clock.CreateTimer(
                _ =>
                {
                    var second = AslEngine.Start(definition, input.DeepClone(), Options(deploymentName + "-second"));
                    executions[second.ExecutionArn] = second;
                    concurrentStarted.TrySetResult(second);
                },
                null,
                after,
                Timeout.InfiniteTimeSpan);
        }
        else
        {
            concurrentStarted.SetResult(null);
        }

        using var registration = cancellationToken.Register(() => main.Stop("States.Aborted", "The simulation was cancelled."));
        var result = await main.Completion;
        ExecutionResult? concurrentResult = null;
        if (concurrentStarted.Task.IsCompleted && await concurrentStarted.Task is { } concurrent)
        {
            concurrentResult = await concurrent.Completion;
        }

        concurrentTimer?.Dispose();
        var finishedAt = result.History.Count > 0 ? result.History[^1].Timestamp : clock.GetUtcNow();

        // Let what the workflow set in motion finish (draining targets, terminating instances), so the final fleet is
        // the settled one and the invariant is checked over that tail too.
        Settle(clock, TimeSpan.FromHours(2));
        return new SimulationResult(
            setup,
            main.ExecutionArn,
            result,
            concurrentResult,
            region,
            topology,
            initialFleet,
            region.ObserveFleet(topology),
            timeline,
            finishedAt - setup.Start,
            crashes > 0 ? 1 : 0);
    }

    private static IReadOnlyCollection<string> StepNames()
    {
        var region = new SimulatedRegion(TimeProvider.System);
        return new StepCatalog(
            new WorkflowPorts(region.Topology, region.AutoScaling, region.Ec2, region.LoadBalancer, region.Alarms, region.Baker, region.Locks, region.Ledger, region.Notifier),
            TimeProvider.System).Names;
    }

    private static void Answer(VirtualClock clock, AslExecution? execution, string token, ApprovalPlan approval)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var holder = new ITimer?[1];
        holder[0] = clock.CreateTimer(
            _ =>
            {
                holder[0]?.Dispose();
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
    private static void Settle(VirtualClock clock, TimeSpan span)
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
