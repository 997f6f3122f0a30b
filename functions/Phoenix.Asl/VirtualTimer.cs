namespace Phoenix.Asl;

internal sealed class VirtualTimer : ITimer
{
    private readonly VirtualClock _clock;
    private readonly TimerCallback _callback;
    private readonly object? _state;
    private TimeSpan _period = Timeout.InfiniteTimeSpan;
    private bool _disposed;
    private long? _pendingPeriodic;

    public VirtualTimer(VirtualClock clock, TimerCallback callback, object? state)
    {
        _clock = clock;
        _callback = callback;
        _state = state;
    }

    // Bumped on every Change/Dispose so queued firings of an older schedule are ignored.
    public long Version { get; private set; }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        long version;
        lock (_clock.Gate)
        {
            if (_disposed)
            {
                return false;
            }

            version = ++Version;
            _period = period;
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return true;
            }
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
        _clock.Schedule(this, dueTime, version);
        return true;
    }

    // Called under the clock's lock when this timer's entry is taken from the queue.
    public void OnFired()
    {
        if (_period != Timeout.InfiniteTimeSpan && _period > TimeSpan.Zero)
        {
            // A periodic timer is queued again after its callback, unless the callback changed or disposed it.
            _pendingPeriodic = Version;
        }
        else
        {
            Version++;
        }
    }

    public void Invoke()
    {
        _callback(_state);
        long? periodicVersion;
        TimeSpan period;
        lock (_clock.Gate)
        {
            periodicVersion = _pendingPeriodic;
            _pendingPeriodic = null;
            period = _period;
            if (_disposed || periodicVersion != Version)
            {
                return;
            }
        }

        _clock.Schedule(this, period, periodicVersion.Value);
    }

    public void Dispose()
    {
        lock (_clock.Gate)
        {
            _disposed = true;
            Version++;
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
