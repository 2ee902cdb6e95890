namespace SleepTime;

/// <summary>The test-time budget of a codebase task: model calls (steps, the last one answering without tools) and tokens.</summary>
public sealed record CodebaseTaskBudget(int MaxSteps = 10, long? MaxTokens = null, int? MaxOutputTokens = null)
{
    public void Validate()
    {
        if (MaxSteps is < 1 or > 1_000)
        {
            throw new SleepTimeValidationException("max_steps", "max_steps must be between 1 and 1,000.");
        }

        if (MaxTokens is <= 0 || MaxOutputTokens is <= 0)
        {
            throw new SleepTimeValidationException("max_tokens", "Token limits must be positive.");
        }
    }
}

/// <summary>How a codebase task was answered: the reply, the files it names, and what it cost.</summary>
public sealed record CodebaseTaskAnswer(
    string Task,
    string Text,
    IReadOnlyList<string> Files,
    int Steps,
    int ToolCalls,
    TokenUsage Usage,
    long? LearnedContextVersion,
    string? Model,
    string? StoppedBy);
