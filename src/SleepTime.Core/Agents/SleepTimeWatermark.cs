namespace SleepTime;

/// <summary>How far a sleep-time agent has read: the last message and document sequence whose run was committed.</summary>
public readonly record struct SleepTimeWatermark(long MessageSequence, long DocumentSequence)
{
    public static SleepTimeWatermark Start => default;
}
