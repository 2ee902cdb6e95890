namespace SleepTime;

/// <summary>
/// A versioned memory block (Letta's "block"). A block has its own id and can be attached to several agents;
/// every write bumps <see cref="Version"/>, which writers pass back to <see cref="IBlockStore.TryUpdateAsync"/>.
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
    /// <summary>The lines of the value that a person marked confirmed (see <see cref="ConfirmedLines"/>).</summary>
    public IReadOnlyList<string> ConfirmedLines => SleepTime.ConfirmedLines.In(Value);
}
