namespace Phoenix.Asl;

/// <summary>
/// A clock that jumps instead of waiting. Timers created on it (<see cref="TimeProvider.CreateTimer"/>,
/// <c>Task.Delay(t, clock)</c>, <c>new CancellationTokenSource(t, clock)</c>) fire in due-time order. While an
/// execution runs on the clock, its work and every timer callback run on one scheduler thread; whenever that thread
/// has nothing ready to run, the clock moves to the earliest due timer and fires it, so timers of the engine and of
/// the host interleave exactly as they would in real time. Work that leaves the scheduler (<c>Task.Run</c>, real
/// I/O) is not waited for before time moves on, so a host running on the clock keeps its work on it.
/// </summary>
public sealed class VirtualClock : TimeProvider
{
    private readonly object _gate = new();
    private readonly PriorityQueue<(VirtualTimer Timer, long Version), (long DueTicks, long Sequence)> _timers = new();
    private readonly DateTimeOffset _start;
    private DateTimeOffset _now;
    private long _sequence;

    public VirtualClock(DateTimeOffset start)
    {
        _start = start;
        _now = start;
        Scheduler = new ClockScheduler(this);
    }

    internal ClockScheduler Scheduler { get; }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => (GetUtcNow() - _start).Ticks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new VirtualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>
    /// Moves the clock forward by <paramref name="delta"/>, firing due timers in order on the caller's thread. For hosts
    /// between executions; while an execution runs on the clock, the clock advances by itself.
    /// </summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        if (Scheduler.IsRunningExecutions)
        {
            throw new InvalidOperationException("The clock advances by itself while an execution runs on it.");
        }

        DateTimeOffset target;
        lock (_gate)
        {
            target = _now + delta;
        }

        while (FireNext(target))
        {
        }

        lock (_gate)
        {
            if (_now < target)
            {
                _now = target;
            }
        }
    }

    /// <summary>
    /// Keeps the clock where it is until the returned handle is disposed; ready work still runs. A host that starts
    /// several executions, or acts on one from outside the clock, holds it so time cannot move on in between.
    /// </summary>
    public IDisposable Hold() => Scheduler.Hold();

    /// <summary>Runs <paramref name="action"/> on the clock's scheduler, in order with the executions' own work.</summary>
    public void Post(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Scheduler.Post(static a => ((Action)a!)(), action);
    }

    internal bool HasPendingTimers
    {
        get
        {
            lock (_gate)
            {
                DropStale();
                return _timers.Count > 0;
            }
        }
    }

    /// <summary>Fires the earliest timer due at or before <paramref name="limit"/> (any, when null); false when none.</summary>
    internal bool FireNext(DateTimeOffset? limit = null)
    {
        VirtualTimer timer;
        lock (_gate)
        {
            DropStale();
            if (!_timers.TryPeek(out var entry, out var priority))
            {
                return false;
            }

            var due = new DateTimeOffset(priority.DueTicks, TimeSpan.Zero);
            if (limit is { } l && due > l)
            {
                return false;
            }

            _timers.Dequeue();
            timer = entry.Timer;
            if (due > _now)
            {
                _now = due;
            }

            timer.OnFired();
        }

        timer.Invoke();
        return true;
    }

    /// <summary>
    /// Like <c>Task.Delay(delay, this, ct)</c>, without Task.Delay's limit of about 49.7 days: a timer here is a queue
    /// entry, so any delay is one timer (a due time past the calendar's end is its last instant).
    /// </summary>
    internal Task Delay(TimeSpan delay, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled(ct);
        }

        var done = new TaskCompletionSource();
        var timer = new VirtualTimer(this, static s => ((TaskCompletionSource)s!).TrySetResult(), done);
        var registration = ct.Register(() =>
        {
            timer.Dispose();
            done.TrySetCanceled(ct);
        });
        _ = done.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        timer.Change(delay, Timeout.InfiniteTimeSpan);
        return done.Task;
    }

    internal void Schedule(VirtualTimer timer, TimeSpan dueTime, long version)
    {
        lock (_gate)
        {
            var due = dueTime >= DateTimeOffset.MaxValue - _now ? DateTimeOffset.MaxValue : _now + dueTime;
            _timers.Enqueue((timer, version), (due.UtcTicks, _sequence++));
        }

        Scheduler.Wake();
    }

    internal object Gate => _gate;

    private void DropStale()
    {
        while (_timers.TryPeek(out var entry, out _) && entry.Version != entry.Timer.Version)
        {
            _timers.Dequeue();
        }
    }
}
