namespace SleepTime.Core.Tests.Scheduling;

public sealed class TriggerDecisionTests
{
    private static readonly DateTimeOffset FirstChange = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly SchedulePolicy Debounced = new SchedulePolicy { DebounceSeconds = 5, MaxWaitSeconds = 60 };

    private static UnreadSources UnreadSince(DateTimeOffset oldest) => new(10, 0, 0, 0, oldest);

    [Fact]
    public void A_change_moves_the_start_to_one_debounce_after_it()
    {
        var now = FirstChange.AddSeconds(10);
        var decision = TriggerDecision.AfterAppend(Debounced, UnreadSince(FirstChange), now);
        Assert.Equal((TriggerKinds.Change, now.AddSeconds(5), true), (decision.Trigger, decision.RunAt, decision.Reschedule));
    }

    [Fact]
    public void Under_continuous_changes_the_start_never_moves_past_the_maximum_wait_after_the_first_unread_change()
    {
        // A change every 2 s keeps the debounce open forever; the maximum wait still ends it: the run is due a debounce
        // after the latest change, but never later than the maximum wait after the first unread one (at once past it).
        var deadline = FirstChange.AddSeconds(60);
        for (var i = 1; i <= 60; i++)
        {
            var now = FirstChange.AddSeconds(i * 2);
            var expected = now.AddSeconds(5) < deadline ? now.AddSeconds(5) : deadline < now ? now : deadline;
            Assert.Equal(expected, TriggerDecision.AfterAppend(Debounced, UnreadSince(FirstChange), now).RunAt);
        }

        // Past the maximum wait, the run is due at once.
        var late = FirstChange.AddSeconds(75);
        Assert.Equal(late, TriggerDecision.AfterAppend(Debounced, UnreadSince(FirstChange), late).RunAt);

        // Without a maximum wait, only the debounce counts.
        var unbounded = Debounced with { MaxWaitSeconds = 0 };
        Assert.Equal(FirstChange.AddSeconds(125), TriggerDecision.AfterAppend(unbounded, UnreadSince(FirstChange), FirstChange.AddSeconds(120)).RunAt);
    }
}
