using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace SleepTime.Testing;

/// <summary>
/// An in-process <see cref="IChatClient"/> for unit tests of code that calls a model: replies come from a queue
/// of scripted steps, then from an optional fallback; every call is recorded. Tests of code that talks HTTP use
/// the protocol-speaking fakes instead.
/// </summary>
public sealed class ScriptedChatClient : IChatClient
{
    private readonly ConcurrentQueue<Func<ScriptedCall, CancellationToken, Task<ChatResponse>>> steps = new();
    private readonly ConcurrentQueue<ScriptedCall> calls = new();
    private readonly Func<ScriptedCall, ChatResponse>? fallback;
    private int count;

    public ScriptedChatClient(Func<ScriptedCall, ChatResponse>? fallback = null, params ChatResponse[] replies)
    {
        this.fallback = fallback;
        foreach (var reply in replies)
        {
            Then(reply);
        }
    }

    public ScriptedChatClient(params ChatResponse[] replies)
        : this(null, replies)
    {
    }

    public IReadOnlyList<ScriptedCall> Calls => calls.OrderBy(c => c.Index).ToList();

    public int CallCount => Volatile.Read(ref count);

    public ScriptedChatClient Then(ChatResponse reply) => Then(_ => reply);

    public ScriptedChatClient Then(Func<ScriptedCall, ChatResponse> reply) => Then((call, _) => Task.FromResult(reply(call)));

    public ScriptedChatClient Then(Func<ScriptedCall, CancellationToken, Task<ChatResponse>> reply)
    {
        steps.Enqueue(reply);
        return this;
    }

    public ScriptedChatClient ThenThrow(Exception exception) => Then((_, _) => Task.FromException<ChatResponse>(exception));

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var call = new ScriptedCall(Interlocked.Increment(ref count) - 1, messages.Select(m => m.Clone()).ToList(), options?.Clone());
        calls.Enqueue(call);
        if (steps.TryDequeue(out var step))
        {
            return await step(call, cancellationToken).ConfigureAwait(false);
        }

        return fallback?.Invoke(call)
            ?? throw new InvalidOperationException($"The scripted model has no reply for call {call.Index}.");
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
