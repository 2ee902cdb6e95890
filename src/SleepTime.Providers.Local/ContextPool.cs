using System.Collections.Concurrent;
using LLama;

namespace SleepTime.Providers.Local;

/// <summary>
/// At most <c>capacity</c> inference contexts of one model, created on first need and reused: a context holds the
/// KV cache (the expensive part), so callers wait for a free one rather than allocate their own.
/// </summary>
internal sealed class ContextPool : IDisposable
{
    private readonly Func<LLamaContext> create;
    private readonly SemaphoreSlim slots;
    private readonly ConcurrentBag<LLamaContext> idle = [];
    private int created;
    private bool disposed;

    public ContextPool(int capacity, Func<LLamaContext> create)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        this.create = create;
        slots = new SemaphoreSlim(capacity, capacity);
    }

    public int Capacity { get; }

    /// <summary>How many contexts exist (idle or rented).</summary>
    public int Created => Volatile.Read(ref created);

    /// <summary>How many calls could rent a context right now without waiting.</summary>
    public int Available => slots.CurrentCount;

    /// <summary>Waits for a free context; dispose the lease to give it back (its memory cleared).</summary>
    public async ValueTask<Lease> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!idle.TryTake(out var context))
            {
                context = create();
                Interlocked.Increment(ref created);
            }

            return new Lease(this, context);
        }
        catch
        {
            slots.Release();
            throw;
        }
    }

    private void Return(LLamaContext context)
    {
        if (disposed)
        {
            context.Dispose();
        }
        else
        {
            context.NativeHandle.MemoryClear();
            idle.Add(context);
        }

        slots.Release();
    }

    public void Dispose()
    {
        disposed = true;
        while (idle.TryTake(out var context))
        {
            context.Dispose();
        }
    }

    /// <summary>One rented context; disposing it returns the context to the pool once.</summary>
    internal sealed class Lease(ContextPool pool, LLamaContext context) : IDisposable
    {
        private int returned;

        public LLamaContext Context { get; } = context;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref returned, 1) == 0)
            {
                pool.Return(Context);
            }
        }
    }
}
