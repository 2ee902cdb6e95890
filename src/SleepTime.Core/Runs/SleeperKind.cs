namespace SleepTime;

/// <summary>
/// What a sleeper writes: a context's learned context (the paper's whole-block rethink, its default sleeper) or a
/// primary agent's memory blocks (a Letta-style sleep-time agent, line edits through change sets).
/// </summary>
public static class SleeperKind
{
    public const string Context = "context";
    public const string Agent = "agent";

    public static bool IsKnown(string kind) => kind is Context or Agent;
}
