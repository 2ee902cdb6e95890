namespace SleepTime;

/// <summary>
/// A versioned memory block (Letta's "block"), the one unit of memory: an agent's blocks have their own ids, can be
/// attached to several agents, and every write bumps <see cref="Version"/>, which writers pass back to
/// <see cref="IBlockStore.TryUpdateAsync"/>; a context's learned context is a versioned set of blocks
/// (<see cref="OfLearned"/>) committed whole.
/// </summary>
/// <param name="ReadOnly">Agents may not edit it; people still can.</param>
/// <param name="UpdatedBy">Who wrote the current value, e.g. <c>user</c> or <c>sleep-time:{agent id}</c>.</param>
public sealed record Block(
    string Id,
    string Label,
    string? Description,
    string Value,
    int Limit,
    bool ReadOnly,
    long Version,
    DateTimeOffset UpdatedAt,
    string UpdatedBy)
{
    /// <summary>A block of a context's learned context: named by the context and its label, at the learned context's version.</summary>
    public static Block OfLearned(string contextId, string label, string value, int limit, long version = 1, DateTimeOffset writtenAt = default, string writtenBy = "sleep") =>
        new($"{contextId}/{label}", label, null, value, limit, false, version, writtenAt, writtenBy);

    /// <summary>The lines of the value that a person marked confirmed (see <see cref="ConfirmedLines"/>).</summary>
    public IReadOnlyList<string> ConfirmedLines => SleepTime.ConfirmedLines.In(Value);
}
