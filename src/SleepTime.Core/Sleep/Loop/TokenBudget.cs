using System.Globalization;

namespace SleepTime;

/// <summary>
/// The tokens one sleep may spend, shared by all of its model calls (the <c>k</c> parallel runs together): no call
/// starts once it is spent, and a call whose usage crosses it stops the run.
/// </summary>
internal sealed class TokenBudget(long? limit)
{
    private long spent;

    public void EnsureLeft() => Check(Volatile.Read(ref spent), orAt: true);

    public void Spend(long tokens) => Check(Interlocked.Add(ref spent, tokens), orAt: false);

    private void Check(long total, bool orAt)
    {
        if (limit is { } max && (total > max || (orAt && total == max)))
        {
            throw new SleepLoopStoppedException(
                SleepFailureReason.OverBudget,
                string.Create(CultureInfo.InvariantCulture, $"The run was stopped at {total:N0} tokens, its budget being {max:N0}; nothing it wrote is kept."));
        }
    }
}
