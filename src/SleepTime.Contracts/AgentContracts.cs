namespace SleepTime.Server;

public sealed record CreateBlockRequest(string? Label, string? Value, int? Limit, string? Description, bool? ReadOnly)
{
    public NewBlock ToNewBlock() => new(Label ?? string.Empty, Value ?? string.Empty, Limit ?? NewBlock.DefaultLimit, Description, ReadOnly ?? false);
}

/// <summary>A user's block write; the expected version comes from here or from an <c>If-Match</c> header.</summary>
public sealed record UpdateBlockRequest(string? Value, long? ExpectedVersion);

public sealed record CreateAgentRequest(string? Name, string? Instructions, IReadOnlyList<string>? BlockIds, IReadOnlyList<CreateBlockRequest>? Blocks);

public sealed record SendMessageRequest(string? Message);

public sealed record ModelSettingsRequest(string? Model, string? Provider, Uri? Endpoint, string? ApiKeyEnvironmentVariable);

/// <param name="EveryTurns">Run after this many user turns; absent: 5; 0: off.</param>
/// <param name="Schedule">The whole schedule policy (cron, debounce, sleep options...); the fields above, when given, override it.</param>
public sealed record CreateSleepTimeAgentRequest(
    string? Name,
    int? EveryTurns,
    double? IdleAfterSeconds,
    int? TranscriptTokens,
    long? DailyTokenBudget,
    bool? RequireReview,
    ModelSettingsRequest? Model,
    SchedulePolicy? Schedule = null);

public sealed record ReviewRequest(string? BlockId, bool? OverwriteConflicts);

public sealed record AttachDocumentRequest(string? Title, string? Text);

public sealed record InsertPassageRequest(string? Text);

public sealed record AgentView(string Id, string Name, string Instructions, IReadOnlyList<string> BlockIds, DateTimeOffset CreatedAt, IReadOnlyList<Block>? Blocks, IReadOnlyList<SleepTimeAgentView>? SleepTimeAgents);

public sealed record SleepTimeAgentView(
    string Id,
    string PrimaryAgentId,
    string Name,
    int? EveryTurns,
    double? IdleAfterSeconds,
    int? TranscriptTokens,
    long? DailyTokenBudget,
    bool RequireReview,
    string Model,
    SchedulePolicy Schedule,
    DateTimeOffset CreatedAt);

public sealed record MessageView(string Id, string AgentId, long Sequence, string Role, string Text, int Tokens, DateTimeOffset CreatedAt)
{
    public static MessageView From(AgentMessage m) => new(m.Id, m.AgentId, m.Sequence, m.Role.Value, m.Text, m.Tokens, m.CreatedAt);
}

public sealed record TurnView(string AgentId, MessageView UserMessage, MessageView AssistantMessage, IReadOnlyDictionary<string, long> BlockVersions, UsageView Usage, string? Model, string PromptVersion);

public sealed record EditView(string Kind, string Label, string? Text = null, int? Line = null, string? OldText = null, string? NewText = null, string? NewValue = null)
{
    public static EditView From(MemoryEdit edit) => edit switch
    {
        InsertEdit i => new("insert", i.Label, Text: i.Text, Line: i.AfterLine),
        ReplaceEdit r => new("replace", r.Label, OldText: r.OldText, NewText: r.NewText),
        RethinkEdit t => new("rethink", t.Label, NewValue: t.NewValue),
        _ => new("unknown", edit.Label),
    };
}

public sealed record BlockChangeView(
    string BlockId, string Label, BlockChangeState State, string? Reason, long BaseVersion, string Before, string After, string Diff,
    IReadOnlyList<EditView> Edits, long? AppliedVersion, string? AppliedValue, long? ConflictVersion, string? ConflictValue)
{
    public static BlockChangeView From(BlockChange b) => new(
        b.BlockId, b.Label, b.State, b.Reason, b.BaseVersion, b.Before, b.After, b.Diff, b.Edits.Select(EditView.From).ToList(),
        b.AppliedVersion, b.AppliedValue, b.ConflictVersion, b.ConflictValue);
}

public sealed record ChangeSetView(
    string Id, string SleeptimeAgentId, string PrimaryAgentId, string? RunId, ChangeSetStatus Status, IReadOnlyList<BlockChangeView> Blocks,
    IReadOnlyList<string> SourceMessageIds, IReadOnlyList<string> SourceDocumentIds, string? Model, string PromptVersion, UsageView Usage,
    decimal? Cost, DateTimeOffset CreatedAt, DateTimeOffset? ResolvedAt, string? ResolvedBy)
{
    public static ChangeSetView From(ChangeSet c) => new(
        c.Id, c.SleepTimeAgentId, c.PrimaryAgentId, c.RunId, c.Status, c.Blocks.Select(BlockChangeView.From).ToList(), c.SourceMessageIds,
        c.SourceDocumentIds, c.Model, c.PromptVersion, UsageView.From(c.Usage), c.Cost, c.CreatedAt, c.ResolvedAt, c.ResolvedBy);
}

public sealed record RevertView(bool Reverted, ChangeSetView ChangeSet, IReadOnlyList<BlockChangeView> Conflicts);

public sealed record DocumentView(string Id, string AgentId, long Sequence, string Title, int Characters, DateTimeOffset AddedAt)
{
    public static DocumentView From(AgentDocument d) => new(d.Id, d.AgentId, d.Sequence, d.Title, d.Text.Length, d.AddedAt);
}

public sealed record PassageView(string Id, string AgentId, string Text, DateTimeOffset CreatedAt, bool Embedded, double? Score = null, string? Mode = null)
{
    public static PassageView From(ArchivalPassage p, double? score = null, ArchivalSearchMode? mode = null) =>
        new(p.Id, p.AgentId, p.Text, p.CreatedAt, p.Embedding is not null, score, mode?.ToString().ToLowerInvariant());
}
