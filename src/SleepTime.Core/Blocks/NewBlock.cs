namespace SleepTime;

/// <summary>What is needed to create a block.</summary>
public sealed record NewBlock(string Label, string Value = "", int Limit = NewBlock.DefaultLimit, string? Description = null, bool ReadOnly = false)
{
    /// <summary>Letta's default block limit.</summary>
    public const int DefaultLimit = 5000;
}
