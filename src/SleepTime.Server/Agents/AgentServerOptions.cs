namespace SleepTime.Server;

/// <summary>Agents API limits and the background sleep-time worker (configuration section <c>SleepTime:Agents</c>).</summary>
public sealed class AgentServerOptions
{
    public const string Section = "SleepTime:Agents";

    /// <summary>Sleep-time runs of one tenant that may execute at once (one sleep-time agent never runs twice at once).</summary>
    public int MaxConcurrentRuns { get; set; } = 4;

    /// <summary>Attempts per batch of work; a failed run is retried until this many failed.</summary>
    public int MaxAttempts { get; set; } = 3;

    public double RetryDelaySeconds { get; set; } = 30;

    /// <summary>Largest user message, in characters (413 above it).</summary>
    public int MaxMessageChars { get; set; } = 32_000;

    /// <summary>Largest document attached in one request, in characters (413 above it).</summary>
    public int MaxDocumentChars { get; set; } = 1_000_000;

    /// <summary>Largest archival passage, in characters (413 above it).</summary>
    public int MaxPassageChars { get; set; } = 32_000;

    /// <summary>
    /// The environment variables that an admin may name as a sleep-time agent's <c>api_key_environment_variable</c>
    /// (exact, case-sensitive names). Default: none, so every such variable is refused with 400.
    /// </summary>
    public string[] AllowedApiKeyVariables { get; set; } = [];

    /// <summary>Recent messages sent with each primary-agent turn.</summary>
    public int HistoryMessages { get; set; } = 40;
}
