using LLama.Abstractions;

namespace SleepTime.Providers.Local;

/// <summary>
/// Leaves the model's text as generated. LLamaSharp's default removes "User:"-style keywords, which would corrupt
/// tool-call JSON and make the text disagree with the token counts.
/// </summary>
internal sealed class PassThroughTextTransform : ITextStreamTransform
{
    public static PassThroughTextTransform Instance { get; } = new();

    public IAsyncEnumerable<string> TransformAsync(IAsyncEnumerable<string> tokens) => tokens;

    public ITextStreamTransform Clone() => this;
}
