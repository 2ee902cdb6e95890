using Microsoft.Extensions.AI;

namespace SleepTime.Providers.Local;

/// <summary>What one generation counted: the model's own tokens in and out, and why it stopped.</summary>
internal sealed class GenerationMeter
{
    public int PromptTokens { get; set; }

    public int OutputTokens { get; set; }

    public ChatFinishReason? FinishReason { get; set; }

    /// <summary>Results the calculator wrote; their tokens are in <see cref="OutputTokens"/>.</summary>
    public int CalculatorCalls { get; set; }

    /// <summary>Numbers the lookup wrote; their tokens are in <see cref="OutputTokens"/>.</summary>
    public int LookupCalls { get; set; }

    public UsageDetails ToUsage()
    {
        var usage = new UsageDetails
        {
            InputTokenCount = PromptTokens,
            OutputTokenCount = OutputTokens,
            TotalTokenCount = PromptTokens + OutputTokens,
        };
        if (CalculatorCalls > 0 || LookupCalls > 0)
        {
            usage.AdditionalCounts = new() { ["calculator_calls"] = CalculatorCalls, ["lookup_calls"] = LookupCalls };
        }

        return usage;
    }
}
