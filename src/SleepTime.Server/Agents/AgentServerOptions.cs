namespace SleepTime.Server;

/// <summary>Agents API limits (runs, retries and concurrency are the one pipeline's: SleepTime:Scheduling) (configuration section <c>SleepTime:Agents</c>).</summary>
public sealed class AgentServerOptions
{
    public const string Section = "SleepTime:Agents";

    /// <summary>Documents longer than this are stored as several parts, read one part per run.</summary>
    public int DocumentPartCharacters { get; set; } = 12_000;

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
