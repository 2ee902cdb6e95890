using System.ComponentModel;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;

namespace SleepTime.Agents;

/// <summary>
/// A primary agent's chat turns. Each turn renders the agent's blocks, as they are now, into the system prompt,
/// stores the user and assistant messages with ids, runs tool calls (conversation search, archival search and the
/// caller's tools) through <see cref="FunctionInvokingChatClient"/>, and then tells the scheduler. It never
/// waits for a sleep-time run: scheduling one only queues it.
/// </summary>
public sealed class PrimaryAgent
{
    private readonly string agentId;
    private readonly AgentStores stores;
    private readonly PrimaryAgentOptions options;
    private readonly IChatClient model;
    private readonly ArchivalMemory archival;
    private readonly ITokenCounter counter;
    private readonly UsageMeter meter;
    private readonly TimeProvider time;

    public PrimaryAgent(string agentId, IChatClient model, AgentStores stores, PrimaryAgentOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agentId);
        ArgumentNullException.ThrowIfNull(model);
        this.agentId = agentId;
        this.stores = stores ?? throw new ArgumentNullException(nameof(stores));
        this.options = options ?? new PrimaryAgentOptions();
        this.model = new FunctionInvokingChatClient(model);
        time = this.options.TimeProvider ?? TimeProvider.System;
        archival = this.options.Archival ?? new ArchivalMemory(stores.Archival, timeProvider: time);
        counter = this.options.TokenCounter ?? O200kTokenCounter.Instance;
        meter = new UsageMeter(counter);
    }

    public string AgentId => agentId;

    public async Task<AgentTurn> SendAsync(string userText, CancellationToken cancellationToken = default)
    {
        var turn = await BeginAsync(userText, cancellationToken).ConfigureAwait(false);
        var response = await model.GetResponseAsync(turn.Prompt, turn.Options, cancellationToken).ConfigureAwait(false);
        return await CompleteAsync(turn, response, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<AgentTurnUpdate> SendStreamingAsync(string userText, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var turn = await BeginAsync(userText, cancellationToken).ConfigureAwait(false);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in model.GetStreamingResponseAsync(turn.Prompt, turn.Options, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
            yield return new AgentTurnUpdate(update, null);
        }

        yield return new AgentTurnUpdate(null, await CompleteAsync(turn, updates.ToChatResponse(), cancellationToken).ConfigureAwait(false));
    }

    private async Task<PreparedTurn> BeginAsync(string userText, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(userText))
        {
            throw new SleepTimeValidationException("message", "A turn needs a user message.");
        }

        var agent = await stores.Agents.GetAgentAsync(agentId, cancellationToken).ConfigureAwait(false) ?? throw new AgentNotFoundException(agentId);
        var blocks = new List<Block>(agent.BlockIds.Count);
        foreach (var blockId in agent.BlockIds)
        {
            blocks.Add(await stores.Blocks.GetAsync(blockId, cancellationToken).ConfigureAwait(false) ?? throw new BlockNotFoundException(blockId));
        }

        var userMessage = await stores.Messages.AppendAsync(agentId, ChatRole.User, userText, counter.CountTokens(userText), cancellationToken).ConfigureAwait(false);
        var history = await stores.Messages.ListRecentAsync(agentId, Math.Max(1, options.HistoryMessages), cancellationToken).ConfigureAwait(false);

        var template = AgentPrompts.Library.Get(AgentPrompts.PrimaryAgent);
        var prompt = new List<ChatMessage>(history.Count + 1)
        {
            new(ChatRole.System, template.Render(
                ("instructions", agent.Instructions),
                ("date", SleepTimeAgentLoop.FormatDate(time.GetUtcNow())),
                ("blocks", RenderBlocks(blocks)))),
        };
        prompt.AddRange(history.Select(m => new ChatMessage(m.Role, m.Text) { MessageId = m.Id }));

        var chatOptions = new ChatOptions
        {
            MaxOutputTokens = options.MaxOutputTokens,
            Tools = [.. BuiltInTools(userMessage.Sequence), .. options.Tools],
            ToolMode = ChatToolMode.Auto,
        };
        return new PreparedTurn(userMessage, prompt, chatOptions, blocks.ToDictionary(b => b.Id, b => b.Version, StringComparer.Ordinal), template.ToString());
    }

    private async Task<AgentTurn> CompleteAsync(PreparedTurn turn, ChatResponse response, CancellationToken cancellationToken)
    {
        var text = response.Text;
        var assistant = await stores.Messages.AppendAsync(agentId, ChatRole.Assistant, text, counter.CountTokens(text), cancellationToken).ConfigureAwait(false);
        var usage = meter.Measure(turn.Prompt, response);
        if (options.Scheduler is { } scheduler)
        {
            await scheduler.OnSourcesChangedAsync(SleeperKind.Agent, agentId, cancellationToken).ConfigureAwait(false);
        }

        return new AgentTurn(agentId, turn.UserMessage, assistant, turn.BlockVersions, usage, response.ModelId, turn.PromptVersion);
    }

    private IEnumerable<AITool> BuiltInTools(long currentSequence)
    {
        yield return AIFunctionFactory.Create(
            async ([Description("Words to look for in earlier messages.")] string query, CancellationToken cancellationToken) =>
            {
                var hits = (await stores.Messages.SearchAsync(agentId, query, 10, cancellationToken).ConfigureAwait(false))
                    .Where(m => m.Sequence < currentSequence)
                    .Take(5)
                    .ToList();
                return hits.Count == 0
                    ? "No earlier messages match."
                    : string.Join('\n', hits.Select(m => string.Create(CultureInfo.InvariantCulture, $"[{m.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC] {m.Role.Value}: {m.Text}")));
            },
            "conversation_search",
            "Search this conversation's earlier messages.");

        yield return AIFunctionFactory.Create(
            async ([Description("What to look for in long-term memory.")] string query, CancellationToken cancellationToken) =>
            {
                var hits = await archival.SearchAsync(agentId, query, 5, cancellationToken).ConfigureAwait(false);
                return hits.Count == 0 ? "No archival passages match." : string.Join('\n', hits.Select(h => "- " + h.Passage.Text));
            },
            "archival_memory_search",
            "Search long-term archival memory passages.");
    }

    private static string RenderBlocks(IReadOnlyList<Block> blocks)
    {
        var builder = new StringBuilder("<memory_blocks>\n");
        foreach (var block in blocks)
        {
            builder.Append('<').Append(block.Label);
            if (!string.IsNullOrWhiteSpace(block.Description))
            {
                builder.Append(" description=\"").Append(block.Description.Replace("\"", "'", StringComparison.Ordinal)).Append('"');
            }

            builder.Append(CultureInfo.InvariantCulture, $" characters=\"{block.Value.Length}/{block.Limit}\">\n")
                .Append(block.Value).Append("\n</").Append(block.Label).Append(">\n");
        }

        return builder.Append("</memory_blocks>").ToString();
    }

    private sealed record PreparedTurn(AgentMessage UserMessage, List<ChatMessage> Prompt, ChatOptions Options, IReadOnlyDictionary<string, long> BlockVersions, string PromptVersion);
}
