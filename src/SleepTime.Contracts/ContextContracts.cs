namespace SleepTime.Server;

/// <summary>One piece of content: a document's text, or a conversation turn with its role.</summary>
public sealed record ContentItem(string? Text, string? Role = null);

/// <summary>Create a context: <c>text</c> for a document, or <c>content</c> items (turns for a conversation).</summary>
public sealed record CreateContextRequest(string? Id, string? Kind, string? Text, IReadOnlyList<ContentItem>? Content, SchedulePolicy? Schedule, string? Path = null, string? Commit = null);

/// <summary>Add to a context (append) or start it over (replace).</summary>
public sealed record WriteContextRequest(string? Text, IReadOnlyList<ContentItem>? Content);

public sealed record ContextView(
    string Id,
    string Kind,
    long Version,
    long BaseVersion,
    long Length,
    long Turns,
    long ProcessedVersion,
    long? LearnedVersion,
    SchedulePolicy Schedule,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<EntryView>? Entries = null);

public sealed record EntryView(long Version, string? Role, string Text, DateTimeOffset AddedAt);

/// <summary>A page of a context's entries in order: <c>offset</c> entries skipped, out of <c>total</c>.</summary>
public sealed record EntryPageView(IReadOnlyList<EntryView> Items, long Offset, long Total);

public sealed record ContextPageView(IReadOnlyList<ContextView> Items, string? NextCursor);

public sealed record LearnedContextView(
    string ContextId,
    long Version,
    IReadOnlyList<Block> Blocks,
    string Text,
    LearnedContextProvenance Provenance)
{
    public static LearnedContextView From(LearnedContext learned) => new(learned.ContextId, learned.Version, learned.Blocks, learned.Render(), learned.Provenance);
}

public sealed record LearnedDiffView(string ContextId, long From, long To, IReadOnlyList<DiffLine> Lines);

/// <summary>One line of a diff: <c>" "</c> unchanged, <c>"-"</c> only in the older version, <c>"+"</c> only in the newer.</summary>
public sealed record DiffLine(string Op, string Text);

/// <summary>Move a codebase context to a new commit; its next sleep reads only the diff since the commit its learned context was written for.</summary>
public sealed record MoveCodebaseRequest(string? Commit);
