namespace Phoenix.Asl;

/// <summary>
/// The single thread that runs everything of the executions on one <see cref="VirtualClock"/>: ready continuations
/// first, then, when none is ready, the earliest due timer. Time therefore only moves when every execution on the
/// clock is idle, waiting on timers or on callbacks from the host.
/// </summary>
internal sealed class ClockScheduler : SynchronizationContext
{
    private readonly VirtualClock _clock;
    private readonly object _gate = new();
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _ready = new();
    private int _running;
    private int _holds;
    private Thread? _thread;

    public ClockScheduler(VirtualClock clock)
    {
        _clock = clock;
    }

    public bool IsRunningExecutions
    {
        get
        {
            lock (_gate)
            {
                return _running > 0;
            }
        }
    }

    public override SynchronizationContext CreateCopy() => this;

    public override void Post(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        lock (_gate)
        {
            _ready.Enqueue((d, state));
            EnsureThread();
            Monitor.Pulse(_gate);
        }
    }

    public override void Send(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (Thread.CurrentThread != _thread)
        {
            throw new NotSupportedException("Synchronous calls into a virtual clock's scheduler are not supported; post instead.");
        }

        d(state);
    }

    /// <summary>Runs <paramref name="start"/> on the scheduler as a new execution; time moves while any is running.</summary>
    public void StartExecution(Func<Task> start)
    {
        lock (_gate)
        {
            _running++;
        }

        Post(
            static s =>
            {
                var (scheduler, run) = ((ClockScheduler, Func<Task>))s!;
                _ = run().ContinueWith(
                    static (_, o) => ((ClockScheduler)o!).EndExecution(),
                    scheduler,
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            },
            (this, start));
    }

    public IDisposable Hold()
    {
        lock (_gate)
        {
            _holds++;
        }

        return new Release(this);
    }

    private sealed class Release(ClockScheduler scheduler) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                lock (scheduler._gate)
                {
                    scheduler._holds--;
                    Monitor.Pulse(scheduler._gate);
                }
            }
        }
    }

    public void Wake()
    {
        lock (_gate)
        {
            Monitor.Pulse(_gate);
        }
    }

    private void EndExecution()
    {
        lock (_gate)
        {
            _running--;
            Monitor.Pulse(_gate);
        }
    }

    private void EnsureThread()
    {
        if (_thread is not null)
        {
            return;
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "VirtualClock scheduler" };
        _thread.Start();
    }

    private void Run()
    {
        SetSynchronizationContext(this);
        while (true)
        {
            (SendOrPostCallback Callback, object? State)? item = null;
            lock (_gate)
            {
                while (true)
                {
                    if (_ready.Count > 0)
                    {
                        item = _ready.Dequeue();
                        break;
                    }

                    if (_running == 0)
                    {
                        _thread = null;
                        return;
                    }

                    if (_holds == 0 && _clock.HasPendingTimers)
                    {
                        break;
                    }

                    Monitor.Wait(_gate);
                }
            }

            if (item is { } ready)
            {
                ready.Callback(ready.State);
            }
            else
            {
                _clock.FireNext();
            }
        }
    }
}
