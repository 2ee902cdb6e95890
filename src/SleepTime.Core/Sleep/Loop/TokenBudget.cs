using System.Globalization;

namespace SleepTime;

/// <summary>
/// The tokens one sleep may spend, shared by all of its model calls (the <c>k</c> parallel runs together).
/// No call starts once the budget is spent, and a call whose usage crosses it stops the sleep.
/// </summary>
internal sealed class TokenBudget(long? limit)
{
    private long spent;

    public static TokenBudget Unlimited => new(null);

    public void EnsureLeft()
    {
        if (limit is { } max && Volatile.Read(ref spent) >= max)
        {
            throw Exhausted(Volatile.Read(ref spent), max);
        }
    }

    public void Spend(long tokens)
    {
        var total = Interlocked.Add(ref spent, tokens);
        if (limit is { } max && total > max)
        {
            throw Exhausted(total, max);
        }
    }

    private static SleepLoopStoppedException Exhausted(long spent, long max) => new(
        SleepFailureReason.OverBudget,
        string.Create(CultureInfo.InvariantCulture, $"The sleep spent {spent:N0} tokens of its budget of {max:N0} and was stopped; nothing it wrote is kept."));
}
