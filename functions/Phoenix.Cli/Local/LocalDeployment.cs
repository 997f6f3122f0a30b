using System.Text.Json.Nodes;
using System.Threading.Channels;
using Phoenix.Asl;
using Phoenix.Cli.Simulation;
using Phoenix.Cli.Workflow;
using Phoenix.Core;
using Phoenix.Core.Domain;
using Phoenix.Core.Ports;
using Phoenix.Core.Workflow;

namespace Phoenix.Cli.Local;

/// <summary>Where one local execution runs: the names its ARNs are built from, and the step composition.</summary>
public sealed record LocalDeploymentOptions(string Region, string AccountId, string ExecutionName, WorkflowSettings Settings)
{
    public const string StateMachineName = "phoenix-deploy-local";
}

/// <summary>A state the execution entered, with the fleet as read from AWS right after.</summary>
public sealed record LocalProgress(DateTimeOffset At, string State, FleetObservation Fleet);

/// <summary>How a local execution ended and what it left behind.</summary>
public sealed record LocalDeploymentResult(
    string ExecutionArn,
    string DeploymentId,
    ExecutionResult Execution,
    IReadOnlyList<LocalProgress> Timeline,
    FleetObservation? FinalFleet,
    DeploymentLockRecord? Lock,
    DeploymentRecord? Ledger,
    bool Interrupted,
    bool Abandoned,
    string? LastState);

/// <summary>Answers a RequestApproval task in-process: true approves, false rejects.</summary>
public delegate Task<bool> ApprovalPrompt(string taskToken, CancellationToken cancellationToken);

/// <summary>
/// Runs statemachines/deploy.asl.json in-process on Phoenix.Asl, on the real clock, with the step composition the
/// Lambda host serves (<see cref="StepCatalog"/> over the given ports): <c>phoenix deploy --local</c>.
/// <para>
/// Stopping is done through the workflow itself, so it ends the way any failure does: <see cref="Interrupt"/> cuts
/// waits short and makes every step that would still move the deployment forward fail with
/// <see cref="DeploymentInterrupted"/>; the state's Catch then runs Rollback (after the first change) or only releases
/// the lock (before it), and notifies. Once Finalize has started the new image is live, so nothing is refused: the
/// keep-previous wait is cut short and the deployment completes. Cancelling the token given to
/// <see cref="RunAsync"/> abandons the execution at once, without cleanup.
/// </para>
/// </summary>
public sealed class LocalDeployment : IDisposable
{
    // The steps that move a deployment forward; cleanup (Rollback, ReleaseLock, Notify) and the steps after the new
    // colour is final (Finalize, ScaleDownPrevious) always run.
    private static readonly HashSet<string> Refusable = new(StringComparer.Ordinal)
    {
        "Validate", "AcquireLock", "ResolveFleet", "StartBake", "CheckBake", "UpdateLaunchTemplate", "ScaleUpGreen", "CheckHealth",
        "RequestApproval", "SwapTraffic", "CheckAlarms",
    };

    private readonly WorkflowPorts _ports;
    private readonly LocalDeploymentOptions _options;
    private readonly FleetObserver _observer;
    private readonly ApprovalPrompt _approval;
    private readonly CancellationTokenSource _hurry = new();
    private readonly TaskCompletionSource<AslExecution> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private string? _pendingApproval;
    private bool _interrupted;
    private bool _finalizing;
    private DeploymentLockRecord? _heldLock;
    private string? _currentState;

    public LocalDeployment(WorkflowPorts ports, FleetTopology topology, LocalDeploymentOptions options, ApprovalPrompt approval)
    {
        ArgumentNullException.ThrowIfNull(ports);
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(approval);
        _ports = ports;
        _options = options;
        _approval = approval;
        _observer = new FleetObserver(ports, topology, TimeProvider.System);
    }

    /// <summary>True once <see cref="Interrupt"/> was called.</summary>
    public bool Interrupted
    {
        get
        {
            lock (_gate)
            {
                return _interrupted;
            }
        }
    }

    /// <summary>True once Finalize has started: the new image is live and an interrupt no longer rolls back.</summary>
    public bool Finalizing
    {
        get
        {
            lock (_gate)
            {
                return _finalizing;
            }
        }
    }

    /// <summary>The state the execution is in (the last one entered).</summary>
    public string? CurrentState
    {
        get
        {
            lock (_gate)
            {
                return _currentState;
            }
        }
    }

    /// <summary>Stops the deployment through the workflow's own error handling (see the class summary).</summary>
    public void Interrupt()
    {
        string? token;
        lock (_gate)
        {
            if (_interrupted)
            {
                return;
            }

            _interrupted = true;
            token = _pendingApproval;
            _pendingApproval = null;
        }

        _hurry.Cancel();
        if (token is not null && _started.Task.IsCompleted)
        {
            _started.Task.Result.SendTaskFailure(token, nameof(DeploymentInterrupted), InterruptCause("RequestApproval"));
        }
    }

    public async Task<LocalDeploymentResult> RunAsync(JsonObject input, Action<LocalProgress>? progress, CancellationToken abandon)
    {
        ArgumentNullException.ThrowIfNull(input);
        var catalog = new StepCatalog(_ports, TimeProvider.System, _options.Settings);
        var definition = DeployDefinition.Load(catalog.Names, Arn);
        var tasks = new TaskRegistry();
        foreach (var step in catalog.Names)
        {
            tasks.Register(Arn(step), (request, ct) => InvokeAsync(catalog, step, request, ct));
        }

        var entered = Channel.CreateUnbounded<(DateTimeOffset At, string State)>(new UnboundedChannelOptions { SingleReader = true });
        var execution = AslEngine.Start(definition, input, new ExecutionOptions
        {
            Time = TimeProvider.System,
            Tasks = tasks,
            ExecutionName = _options.ExecutionName,
            StateMachineName = LocalDeploymentOptions.StateMachineName,
            Region = _options.Region,
            AccountId = _options.AccountId,
            Hurry = _hurry.Token,
            OnEvent = e =>
            {
                if (e.StateName is { } state && e.Type.EndsWith("StateEntered", StringComparison.Ordinal))
                {
                    lock (_gate)
                    {
                        _currentState = state;
                    }

                    entered.Writer.TryWrite((e.Timestamp, state));
                }
            },
        });
        _started.SetResult(execution);

        var timeline = new List<LocalProgress>();
        using var observing = CancellationTokenSource.CreateLinkedTokenSource(abandon);
        var watcher = WatchAsync(entered.Reader, timeline, progress, observing.Token);
        var deploymentId = new ExecutionRef(execution.ExecutionArn, DateTimeOffset.MinValue).DeploymentId;
        ExecutionResult result;
        try
        {
            result = await execution.Completion.WaitAsync(abandon).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
            // A second Ctrl-C: leave now, say what is left, call AWS no more.
            execution.Stop(nameof(DeploymentInterrupted), "Abandoned by the operator (second Ctrl-C): no cleanup ran.");
            await observing.CancelAsync().ConfigureAwait(false);
            FleetObservation? lastSeen;
            DeploymentLockRecord? held;
            lock (_gate)
            {
                lastSeen = timeline.Count > 0 ? timeline[^1].Fleet : null;
                held = _heldLock;
            }

            return new LocalDeploymentResult(
                execution.ExecutionArn, deploymentId, Snapshot(execution), [.. timeline], lastSeen, held, null, Interrupted: true, Abandoned: true, CurrentState);
        }

        entered.Writer.TryComplete();
        await watcher.ConfigureAwait(false);
        var application = input["application"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? input["application"]!.GetValue<string>() : null;
        FleetObservation? final = null;
        DeploymentLockRecord? lockRecord = null;
        DeploymentRecord? ledger = null;
        try
        {
            final = await _observer.ObserveAsync(CancellationToken.None).ConfigureAwait(false);
            if (application is not null)
            {
                lockRecord = await _ports.Locks.GetAsync(application, CancellationToken.None).ConfigureAwait(false);
                ledger = await _ports.Ledger.GetAsync(application, deploymentId, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The execution's own result is what counts; a failed read afterwards only leaves the summary shorter.
        }

        return new LocalDeploymentResult(
            execution.ExecutionArn, deploymentId, result, [.. timeline], final, lockRecord, ledger, Interrupted, Abandoned: false, CurrentState);
    }

    public void Dispose() => _hurry.Dispose();

    private string Arn(string step) => DeployDefinition.FunctionArn(_options.Region, _options.AccountId, step);

    private async ValueTask<JsonNode?> InvokeAsync(StepCatalog catalog, string step, TaskRequest request, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_interrupted && !_finalizing && Refusable.Contains(step))
            {
                throw new DeploymentInterrupted(InterruptCause(request.StateName));
            }

            _finalizing |= step == "Finalize";
        }

        var output = await catalog.InvokeAsync(step, request.Input, cancellationToken).ConfigureAwait(false);
        if (step == "AcquireLock" && output is JsonObject acquired)
        {
            var application = request.Input?["request"]?["application"]?.GetValue<string>() ?? string.Empty;
            lock (_gate)
            {
                _heldLock = new DeploymentLockRecord(
                    application,
                    acquired["owner"]?.GetValue<string>() ?? string.Empty,
                    TimeProvider.System.GetUtcNow(),
                    acquired["expiresAt"]?.GetValue<DateTimeOffset>() ?? DateTimeOffset.MaxValue);
            }
        }
        else if (step == "ReleaseLock")
        {
            lock (_gate)
            {
                _heldLock = null;
            }
        }

        if (request.TaskToken is { } token)
        {
            _ = AskAsync(token, cancellationToken);
        }

        return output;
    }

    private async Task AskAsync(string token, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_interrupted)
            {
                _pendingApproval = token;
            }
        }

        var execution = await _started.Task.ConfigureAwait(false);
        if (Interrupted)
        {
            execution.SendTaskFailure(token, nameof(DeploymentInterrupted), InterruptCause("RequestApproval"));
            return;
        }

        bool approved;
        try
        {
            approved = await _approval(token, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_gate)
        {
            if (_pendingApproval != token)
            {
                return; // Interrupt answered it already.
            }

            _pendingApproval = null;
        }

        try
        {
            if (approved)
            {
                execution.SendTaskSuccess(token, new JsonObject { ["approved"] = true, ["by"] = "phoenix deploy --local (terminal)" });
            }
            else
            {
                execution.SendTaskFailure(token, nameof(ApprovalRejected), "Rejected at the terminal of phoenix deploy --local.");
            }
        }
        catch (ArgumentException)
        {
            // The task is no longer waiting (it timed out); the execution has moved on.
        }
    }

    private async Task WatchAsync(
        ChannelReader<(DateTimeOffset At, string State)> entered, List<LocalProgress> timeline, Action<LocalProgress>? progress, CancellationToken cancellationToken)
    {
        FleetObservation? last = null;
        try
        {
            while (await entered.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var batch = new List<(DateTimeOffset At, string State)>();
                while (entered.TryRead(out var item))
                {
                    batch.Add(item);
                }

                // One read of the fleet for every state entered since the last read: many states pass in a moment.
                try
                {
                    last = await _observer.ObserveAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException && last is not null)
                {
                    // A failed read (throttling, a blip) keeps the last view; the workflow's own calls are what matter.
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    continue;
                }

                foreach (var (at, state) in batch)
                {
                    var point = new LocalProgress(at, state, last);
                    lock (_gate)
                    {
                        timeline.Add(point);
                    }

                    progress?.Invoke(point);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static ExecutionResult Snapshot(AslExecution execution) =>
        execution.Completion.IsCompletedSuccessfully
            ? execution.Completion.Result
            : new ExecutionResult(ExecutionStatus.Aborted, null, nameof(DeploymentInterrupted), "Abandoned by the operator.", execution.History);

    private static string InterruptCause(string state) =>
        $"Interrupted by the operator (Ctrl-C in phoenix deploy --local) before {state}; the workflow rolls back what it changed and releases the lock.";
}
