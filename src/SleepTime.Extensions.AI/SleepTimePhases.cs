using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace SleepTime.Extensions.AI;

/// <summary>The two phases of sleep-time compute, as service keys, telemetry source and span tag.</summary>
public static class SleepTimePhases
{
    /// <summary>Key of the keyed <see cref="IChatClient"/> that sleeps (<c>S(c) -> c'</c>).</summary>
    public const string Sleep = "sleep";

    /// <summary>Key of the keyed <see cref="IChatClient"/> that answers (<c>T_b(q, c')</c>).</summary>
    public const string Test = "test";

    /// <summary>The <see cref="ActivitySource"/> name of the model-call spans (add it to a tracer: <c>AddSource(SleepTimePhases.TelemetrySourceName)</c>).</summary>
    public const string TelemetrySourceName = "SleepTime.Models";

    /// <summary>The span tag that names the phase of a model call.</summary>
    public const string PhaseTag = "sleeptime.phase";
}

/// <summary>Tags the current model-call span (the OpenTelemetry chat client's, just outside it) with its phase.</summary>
internal sealed class PhaseTaggingChatClient(IChatClient inner, string phase) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Activity.Current?.SetTag(SleepTimePhases.PhaseTag, phase);
        return base.GetResponseAsync(messages, options, cancellationToken);
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Activity.Current?.SetTag(SleepTimePhases.PhaseTag, phase);
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }
}
