namespace SleepTime.Server;

/// <summary>A context as <c>list_contexts</c> and <c>add_to_context</c> return it.</summary>
public sealed record McpContextItem(string Id, string Kind, long Version, long Length, long? LearnedVersion, DateTimeOffset UpdatedAt);

public sealed record McpContextList(IReadOnlyList<McpContextItem> Contexts, string? NextCursor);

public sealed record McpAddResult(McpContextItem Context, bool Created);

/// <summary>The answer of <c>ask</c>: the full answer, the final answer, the tokens spent and the learned version it used.</summary>
public sealed record McpAnswer(string QueryId, string Answer, string? FinalAnswer, int Verbosity, long? LearnedVersion, long ContextVersion, UsageView Usage, double LatencyMilliseconds);

public sealed record McpLearnedContext(string ContextId, long Version, string Text, int Blocks);

public sealed record McpRun(string RunId, string Status, string Trigger, bool Coalesced, long? ContextVersion);
