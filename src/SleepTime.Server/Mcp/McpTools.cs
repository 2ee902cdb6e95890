using System.ComponentModel;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace SleepTime.Server;

/// <summary>
/// The MCP tools: thin wrappers over the same stores, scheduler and <see cref="QueryService"/> the REST API uses,
/// always in the caller's tenant. Parameter names are snake_case because they are the tools' argument names.
/// </summary>
[McpServerToolType]
public sealed class McpTools(McpCaller caller, SleepScheduler scheduler, QueryService queries, CodebaseWatcher codebases, IOptions<ServerOptions> options)
{
    [McpServerTool(Name = "list_contexts", ReadOnly = true, Idempotent = true)]
    [Description("Lists the contexts of your tenant (id, version, length, learned version), a page at a time.")]
    public Task<McpContextList> ListContextsAsync(
        [Description("Page size, 1 to 1000 (default 50).")] int? limit = null,
        [Description("The next_cursor of the previous page.")] string? cursor = null,
        CancellationToken cancellationToken = default) => McpCaller.GuardAsync(async () =>
    {
        if (limit is < 1 or > 1000)
        {
            throw new McpException("limit must be between 1 and 1000.");
        }

        var page = await caller.Contexts().ListAsync(limit ?? 50, cursor, cancellationToken).ConfigureAwait(false);
        return new McpContextList(page.Items.Select(Item).ToList(), page.NextCursor);
    });

    [McpServerTool(Name = "add_to_context")]
    [Description("Appends text to a context, creating it when it does not exist yet; the context then sleeps on its schedule. Without a role the text is document text; with a role (user, assistant...) it is a conversation turn, and a new context is a conversation.")]
    public Task<McpAddResult> AddToContextAsync(
        [Description("The context id.")] string context_id,
        [Description("The text to append.")] string text,
        [Description("Create the context when absent (default true).")] bool create = true,
        [Description("The speaker of a conversation turn, such as user or assistant; leave out for document text.")] string? role = null,
        CancellationToken cancellationToken = default) => McpCaller.GuardAsync(async () =>
    {
        if (string.IsNullOrWhiteSpace(context_id))
        {
            throw new McpException("context_id must not be empty.");
        }

        if (string.IsNullOrEmpty(text))
        {
            throw new McpException("text must not be empty.");
        }

        if (role is not null && string.IsNullOrWhiteSpace(role))
        {
            throw new McpException("role must not be blank: leave it out for document text.");
        }

        IReadOnlyList<ContextInput> content = [role is null ? ContextInput.Document(text) : ContextInput.Turn(role.Trim(), text)];
        var writer = new ContextWriter(caller.Contexts(), scheduler, options.Value.MaxContextChars);
        var written = await writer.AppendAsync(context_id, content, create ? (role is null ? ContextKind.Document : ContextKind.Conversation) : null, cancellationToken).ConfigureAwait(false);
        return written.Outcome switch
        {
            ContextWriteOutcome.NotFound or ContextWriteOutcome.TooLarge or ContextWriteOutcome.Conflict => throw new McpException(written.Problem!),
            _ => new McpAddResult(Item(written.Summary!), written.Outcome == ContextWriteOutcome.Created),
        };
    });

    [McpServerTool(Name = "ask")]
    [Description("Answers a question on a context from its learned context, on a small budget. Returns the answer, the final answer, the tokens spent and the learned version used.")]
    public Task<McpAnswer> AskAsync(
        [Description("The context id.")] string context_id,
        [Description("The question.")] string question,
        [Description("0 (answer only) to 4 (step by step, re-verified); default 3.")] int? verbosity = null,
        [Description("Cap on the answer's output tokens.")] int? max_output_tokens = null,
        CancellationToken cancellationToken = default) => McpCaller.GuardAsync(async () =>
    {
        if (string.IsNullOrWhiteSpace(question))
        {
            throw new McpException("question must not be empty.");
        }

        var ask = QueryService.ParseOptions(null, new BudgetRequest(verbosity, max_output_tokens, null), includeRawContext: null);
        var store = caller.Contexts();
        var context = await store.GetAsync(context_id, cancellationToken).ConfigureAwait(false)
            ?? throw new McpException($"Context '{context_id}' was not found.");
        var (record, unavailable) = await queries.AnswerAsync(store.TenantId, store, context, question, ask, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            throw new McpException(unavailable ?? "No test model is configured.");
        }

        return new McpAnswer(record.Id, record.Answer, record.FinalAnswer, record.Verbosity, record.LearnedVersion, record.ContextVersion, UsageView.From(record.Usage), record.LatencyMilliseconds);
    });

    [McpServerTool(Name = "get_learned_context", ReadOnly = true, Idempotent = true)]
    [Description("Reads the current learned context of a context: what the background model wrote while it slept.")]
    public Task<McpLearnedContext> GetLearnedContextAsync(
        [Description("The context id.")] string context_id,
        CancellationToken cancellationToken = default) => McpCaller.GuardAsync(async () =>
    {
        var store = caller.Contexts();
        if (await store.GetSummaryAsync(context_id, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new McpException($"Context '{context_id}' was not found.");
        }

        var learned = await store.GetCurrentAsync(context_id, cancellationToken).ConfigureAwait(false)
            ?? throw new McpException($"Context '{context_id}' has no learned context yet: it has not slept.");
        return new McpLearnedContext(learned.ContextId, learned.Version, learned.Render(), learned.Blocks.Count);
    });

    [McpServerTool(Name = "sleep")]
    [Description("Triggers a sleep run on a context now (coalesced with one already queued). Returns the run id and status; the learned context is committed when it succeeds.")]
    public Task<McpRun> SleepAsync(
        [Description("The context id.")] string context_id,
        CancellationToken cancellationToken = default) => McpCaller.GuardAsync(async () =>
    {
        var store = caller.Contexts();
        if (await store.GetSummaryAsync(context_id, cancellationToken).ConfigureAwait(false) is not { } summary)
        {
            throw new McpException($"Context '{context_id}' was not found.");
        }

        await codebases.LookBeforeSleepAsync(store.TenantId, summary, cancellationToken).ConfigureAwait(false);
        var result = await scheduler.TriggerNowAsync(store.TenantId, SleeperKind.Context, context_id, context_id, TriggerKinds.Manual, cancellationToken).ConfigureAwait(false);
        return new McpRun(result.Run.Id, result.Run.Status, result.Run.Trigger, result.Coalesced, result.Run.ContextVersion);
    });

    private static McpContextItem Item(ContextSummary s) => new(s.Id, s.Kind.ToString().ToLowerInvariant(), s.Version, s.Length, s.LearnedVersion, s.UpdatedAt);
}
