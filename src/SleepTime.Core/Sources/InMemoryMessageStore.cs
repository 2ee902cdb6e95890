using Microsoft.Extensions.AI;

namespace SleepTime;

public sealed class InMemoryMessageStore(TimeProvider? timeProvider = null) : IMessageStore
{
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<AgentMessage>> conversations = new(StringComparer.Ordinal);

    public Task<AgentMessage> AppendAsync(string agentId, ChatRole role, string text, int tokens, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (!conversations.TryGetValue(agentId, out var messages))
            {
                conversations[agentId] = messages = [];
            }

            var message = new AgentMessage(Ids.New("msg"), agentId, messages.Count + 1, role, text, tokens, time.GetUtcNow());
            messages.Add(message);
            return Task.FromResult(message);
        }
    }

    public Task<IReadOnlyList<AgentMessage>> ListAsync(string agentId, long afterSequence = 0, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            IReadOnlyList<AgentMessage> list = conversations.TryGetValue(agentId, out var messages)
                ? messages.Where(m => m.Sequence > afterSequence).ToList()
                : [];
            return Task.FromResult(list);
        }
    }

    public Task<IReadOnlyList<AgentMessage>> ListRecentAsync(string agentId, int count, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            IReadOnlyList<AgentMessage> list = conversations.TryGetValue(agentId, out var messages)
                ? messages.Skip(Math.Max(0, messages.Count - count)).ToList()
                : [];
            return Task.FromResult(list);
        }
    }

    public async Task<IReadOnlyList<AgentMessage>> SearchAsync(string agentId, string query, int limit, CancellationToken cancellationToken = default)
    {
        var messages = await ListAsync(agentId, 0, cancellationToken).ConfigureAwait(false);
        var index = new Bm25Index<AgentMessage>(messages, m => m.Text);
        return index.Search(query, limit).Select(hit => hit.Item).ToList();
    }
}
