using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SleepTime.Bench.Models;

/// <summary>
/// The built-in <c>--fake</c> model for dry runs and for measuring the harness itself: it answers at once, calls no
/// network and costs nothing. As a sleep model it writes the context's numbers into memory through the paper's
/// tools (or as plain text); as a test model it replies "The answer is N" with N the last number of the prompt, at a
/// length that grows with the verbosity prompt. Token usage is reported as characters / 4.
/// </summary>
public sealed class InstantFakeModel : IChatClient
{
    public const string ModelId = "fake-instant";

    private static readonly ChatClientMetadata Metadata = new("fake", null, ModelId);
    private int calls;

    public int CallCount => Volatile.Read(ref calls);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref calls);
        var prompt = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        // Lengths and numbers are read part by part: joining a 100k-token prompt into one string per call is pure garbage.
        var inputChars = prompt.Sum(m => m.Contents.OfType<TextContent>().Sum(t => t.Text.Length));
        var tools = options?.Tools;

        ChatMessage reply;
        if (tools is { Count: > 0 })
        {
            var memory = "Numbers in the context: " + string.Join(", ", FirstUserTexts(prompt).SelectMany(Numbers).Take(40));
            reply = new ChatMessage(ChatRole.Assistant,
            [
                new FunctionCallContent("call_1", "rethink_memory", new Dictionary<string, object?> { ["new_memory"] = JsonSerializer.SerializeToElement(memory) }),
                new FunctionCallContent("call_2", "finish_rethinking_memory", new Dictionary<string, object?>()),
            ]);
            return Respond(reply, inputChars, memory.Length + 40, ChatFinishReason.ToolCalls);
        }

        var system = prompt.Count > 0 && prompt[0].Role == ChatRole.System ? prompt[0].Text : string.Empty;
        var user = prompt.Count > 0 ? prompt[^1].Contents.OfType<TextContent>().Select(t => t.Text) : [];
        var last = user.Reverse().Select(t => Numbers(t).LastOrDefault()).FirstOrDefault(n => n is not null) ?? "0";
        var padding = new string('.', Math.Min(system.Length / 8, 400));
        var text = $"Working it out{padding}\nThe answer is {last}.";
        return Respond(new ChatMessage(ChatRole.Assistant, text), inputChars, text.Length, ChatFinishReason.Stop);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Stream(messages, options, cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? Metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    private static Task<ChatResponse> Respond(ChatMessage message, int inputChars, int outputChars, ChatFinishReason finish) =>
        Task.FromResult(new ChatResponse(message)
        {
            ModelId = ModelId,
            FinishReason = finish,
            Usage = new UsageDetails { InputTokenCount = (inputChars / 4) + 1, OutputTokenCount = (outputChars / 4) + 1, TotalTokenCount = ((inputChars + outputChars) / 4) + 2 },
        });

    private async IAsyncEnumerable<ChatResponseUpdate> Stream(IEnumerable<ChatMessage> messages, ChatOptions? options, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    private static IEnumerable<string> FirstUserTexts(IReadOnlyList<ChatMessage> prompt) =>
        prompt.FirstOrDefault(m => m.Role == ChatRole.User)?.Contents.OfType<TextContent>().Select(t => t.Text) ?? [];

    private static IEnumerable<string> Numbers(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var digit = i < text.Length && char.IsAsciiDigit(text[i]);
            if (digit && start < 0)
            {
                start = i;
            }
            else if (!digit && start >= 0)
            {
                yield return long.Parse(text.AsSpan(start, Math.Min(i - start, 18)), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
                start = -1;
            }
        }
    }
}
