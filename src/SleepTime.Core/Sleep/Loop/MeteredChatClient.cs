using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>
/// Under <see cref="FunctionInvokingChatClient"/>, sees every model call of a run: measures and counts it, records the
/// model id and charges the shared <see cref="TokenBudget"/>. A provider failure or a spent budget stops the run.
/// </summary>
internal sealed class MeteredChatClient(IChatClient inner, UsageMeter meter, TokenBudget budget) : DelegatingChatClient(inner)
{
    public TokenUsage Usage { get; private set; }

    public int Calls { get; private set; }

    public string? ModelId { get; private set; }

    /// <summary>The last prompt and its reply, so a run stopped mid-request still knows what its tools answered.</summary>
    public IReadOnlyList<ChatMessage> LastExchange { get; private set; } = [];

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        budget.EnsureLeft();
        var prompt = messages.ToList();
        Calls++;
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(prompt, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Only failures of the model call become a failed run; our own bugs stay loud.
            throw new SleepLoopStoppedException(SleepFailureReason.ProviderError, $"The sleep model call failed: {ex.Message}", ex);
        }

        var usage = meter.Measure(prompt, response);
        Usage += usage;
        ModelId ??= response.ModelId;
        LastExchange = [.. prompt, .. response.Messages];
        budget.Spend(usage.TotalTokens);
        return response;
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The sleep loop meters whole responses; it does not stream.");
}
