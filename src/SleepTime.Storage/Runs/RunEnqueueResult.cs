namespace SleepTime.Storage;

/// <summary>The queued run a trigger landed in; <see cref="Coalesced"/> when it joined one already waiting.</summary>
public sealed record RunEnqueueResult(RunRecord Run, bool Coalesced);
