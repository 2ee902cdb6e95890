using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>
/// The test-time budget <c>b</c>: a verbosity level 0–4 (the paper's prompts, from "The answer is N" alone up to
/// step-by-step re-verification), plus optional max output tokens and reasoning effort passed to the model.
/// </summary>
public sealed record AnswerBudget
{
    public const int MinVerbosity = 0;
    public const int MaxVerbosity = 4;

    public AnswerBudget(int verbosity = 3, int? maxOutputTokens = null, ReasoningEffort? reasoningEffort = null)
    {
        if (verbosity is < MinVerbosity or > MaxVerbosity)
        {
            throw new SleepTimeValidationException(nameof(verbosity), $"Verbosity level {verbosity} is unknown: use 0 (answer only) to 4 (step by step, re-verified).");
        }

        if (maxOutputTokens is <= 0)
        {
            throw new SleepTimeValidationException(nameof(maxOutputTokens), "Max output tokens must be positive.");
        }

        if (reasoningEffort is { } effort && !Enum.IsDefined(effort))
        {
            throw new SleepTimeValidationException(nameof(reasoningEffort), $"Reasoning effort '{effort}' is unknown.");
        }

        Verbosity = verbosity;
        MaxOutputTokens = maxOutputTokens;
        ReasoningEffort = reasoningEffort;
    }

    public static AnswerBudget Default { get; } = new();

    public int Verbosity { get; }

    public int? MaxOutputTokens { get; }

    public ReasoningEffort? ReasoningEffort { get; }

    public static AnswerBudget Level(int verbosity, int? maxOutputTokens = null) => new(verbosity, maxOutputTokens);
}
