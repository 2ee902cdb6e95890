using System.Collections.Concurrent;
using System.Net;
using SleepTime.Client;
using SleepTime.Server;

namespace SleepTime.Extensions.AI.Remote;

/// <summary>
/// A running SleepTime server's memory, through the typed client: a conversation is a conversation context of the
/// client's tenant; its learned context is the committed one the server serves (a read, no model call, no wait on a
/// run); turns are appended to it and the server's scheduler decides when it sleeps. Every call gives up after
/// <see cref="RemoteConversationMemoryOptions.Timeout"/> with a <see cref="TimeoutException"/>, which the chat client
/// and the context provider log before going on without the memory, so a down or slow server never holds a turn longer.
/// </summary>
public sealed class RemoteConversationMemory : IConversationMemory
{
    private readonly ConcurrentDictionary<string, byte> created = new(StringComparer.Ordinal);

    public RemoteConversationMemory(SleepTimeClient client, RemoteConversationMemoryOptions? options = null)
    {
        Client = client ?? throw new ArgumentNullException(nameof(client));
        Options = options ?? new RemoteConversationMemoryOptions();
    }

    public SleepTimeClient Client { get; }

    public RemoteConversationMemoryOptions Options { get; }

    public async ValueTask<LearnedText?> GetLearnedTextAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        using var deadline = Deadline(cancellationToken);
        try
        {
            var learned = await Client.Learned.FindCurrentAsync(conversationId, deadline.Token).ConfigureAwait(false);
            return learned is null ? null : new LearnedText(learned.Version, learned.Text);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut("reading the learned context of", conversationId);
        }
    }

    public async Task AppendTurnsAsync(string conversationId, IReadOnlyList<ContextInput> turns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turns);
        var content = turns.Where(t => !string.IsNullOrWhiteSpace(t.Text)).Select(t => new ContentItem(t.Text, t.Role)).ToList();
        if (content.Count == 0)
        {
            return;
        }

        using var deadline = Deadline(cancellationToken);
        try
        {
            if (!created.ContainsKey(conversationId))
            {
                await CreateOrAppendAsync(conversationId, content, deadline.Token).ConfigureAwait(false);
                return;
            }

            await Client.Contexts.AppendTurnsAsync(conversationId, content, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut("recording a turn of", conversationId);
        }
    }

    private async Task CreateOrAppendAsync(string conversationId, IReadOnlyList<ContentItem> content, CancellationToken cancellationToken)
    {
        try
        {
            await Client.Contexts.AppendTurnsAsync(conversationId, content, cancellationToken).ConfigureAwait(false);
        }
        catch (SleepTimeApiException missing) when (missing.Status == HttpStatusCode.NotFound)
        {
            try
            {
                await Client.Contexts.CreateConversationAsync(content, conversationId, Options.Schedule, cancellationToken).ConfigureAwait(false);
            }
            catch (SleepTimeApiException taken) when (taken.Status == HttpStatusCode.BadRequest && taken.Field == "id")
            {
                // Another turn created it first.
                await Client.Contexts.AppendTurnsAsync(conversationId, content, cancellationToken).ConfigureAwait(false);
            }
        }

        created.TryAdd(conversationId, 0);
    }

    private CancellationTokenSource Deadline(CancellationToken cancellationToken)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Options.Timeout);
        return deadline;
    }

    private TimeoutException TimedOut(string what, string conversationId) =>
        new($"The SleepTime server at {Client.Server} did not answer within {Options.Timeout.TotalMilliseconds:0} ms {what} conversation '{conversationId}'.");
}

public sealed record RemoteConversationMemoryOptions
{
    /// <summary>How long one read or append may take before the turn goes on without it (default 1 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The schedule of conversations this memory creates (null: the server's default).</summary>
    public SchedulePolicy? Schedule { get; init; }
}
