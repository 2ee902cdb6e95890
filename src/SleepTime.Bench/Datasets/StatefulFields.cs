namespace SleepTime.Bench.Datasets;

/// <summary>Field names of the paper's published stateful data sets (letta-ai/stateful-gsm-symbolic, stateful-aime-2024/2025).</summary>
public static class StatefulFields
{
    public const string GsmContext = "stateful_gsm_symbolic_context";
    public const string GsmQuestion = "stateful_gsm_symbolic_question";
    public const string AimeContext = "stateful_aime_context";
    public const string AimeQuestion = "stateful_aime_question";
    public const string Answer = "answer";

    /// <summary>Optional: groups rows that share a context (Multi-Query); otherwise rows with identical context text are grouped.</summary>
    public const string ContextId = "context_id";
}
