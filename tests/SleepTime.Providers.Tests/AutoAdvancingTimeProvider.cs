namespace SleepTime.Providers.Tests;

/// <summary>
/// A clock for retry tests: every timer fires at once and moves the virtual clock forward by its due time, and every
/// requested due time is recorded. A test sees the delays the code asked for without waiting for them.
/// </summary>
internal sealed class AutoAdvancingTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<TimeSpan> _delays = [];
    private DateTimeOffset _now = new(2025, 4, 17, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The due times of all timers created so far, in order.</summary>
    public IReadOnlyList<TimeSpan> RequestedDelays
    {
        get
        {
            lock (_gate)
            {
                return _delays.ToArray();
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new InstantTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private void Fire(InstantTimer timer, TimeSpan dueTime)
    {
        lock (_gate)
        {
            _delays.Add(dueTime);
            _now += dueTime;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static t => t.Invoke(), timer, preferLocal: false);
    }

    private sealed class InstantTimer(AutoAdvancingTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private int _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (Volatile.Read(ref _disposed) == 1)
            {
                return false;
            }

            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                owner.Fire(this, dueTime);
            }

            return true;
        }

        public void Invoke()
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                callback(state);
            }
        }

        public void Dispose() => Volatile.Write(ref _disposed, 1);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
