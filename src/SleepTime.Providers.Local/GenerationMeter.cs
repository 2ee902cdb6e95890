using Microsoft.Extensions.AI;

namespace SleepTime.Providers.Local;

/// <summary>What one generation counted: the model's own tokens in and out, and why it stopped.</summary>
internal sealed class GenerationMeter
{
    public int PromptTokens { get; set; }

    public int OutputTokens { get; set; }

    public ChatFinishReason? FinishReason { get; set; }

    public UsageDetails ToUsage() => new()
    {
        InputTokenCount = PromptTokens,
        OutputTokenCount = OutputTokens,
        TotalTokenCount = PromptTokens + OutputTokens,
    };
}
