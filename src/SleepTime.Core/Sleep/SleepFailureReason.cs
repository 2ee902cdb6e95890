namespace SleepTime;

public enum SleepFailureReason
{
    /// <summary>The model never called a tool, even after reminders.</summary>
    NoToolCalls,

    /// <summary>The model finished without writing usable memory (empty or only invalid attempts).</summary>
    NoMemory,

    /// <summary>The memory stayed over the block limit.</summary>
    OverLimit,

    /// <summary>The model provider failed (after its retries).</summary>
    ProviderError,

    /// <summary>Another sleep committed a newer learned context first.</summary>
    Conflict,

    /// <summary>The model called tools but every edit failed, and it never said it was finished; the error names the last tool error.</summary>
    ToolErrors,

    /// <summary>The run reached its token budget and was stopped; nothing it wrote is kept.</summary>
    OverBudget,
}

public static class SleepFailureReasons
{
    /// <summary>The reason as a run records it: snake_case, like every other reason code (<c>no_tool_calls</c>, <c>over_budget</c>).</summary>
    public static string ToCode(this SleepFailureReason reason) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(reason.ToString());
}
