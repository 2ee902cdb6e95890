using LLama.Common;

namespace SleepTime.Providers.Local;

/// <summary>
/// The inference parameters <see cref="LocalChatClient"/> hands to LLamaSharp's chat client (through
/// <c>ChatOptions.RawRepresentationFactory</c>), which passes them on to <see cref="PooledExecutor"/>: the way the
/// executor learns the call's stop sequences and reports its counts back.
/// </summary>
internal sealed record LocalInferenceParams : InferenceParams
{
    public required GenerationMeter Meter { get; init; }

    /// <summary>
    /// The caller's stop sequences. LLamaSharp's chat client adds its own "User:"-style anti-prompts to
    /// <see cref="InferenceParams.AntiPrompts"/> for template-less prompts; the executor ignores those and stops on the
    /// model's end-of-turn token, these, or the token limit.
    /// </summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];

    /// <summary>The inline tools whose results the generation writes as the model calls them.</summary>
    public InlineTools.InlineToolSet Tools { get; init; }
}
