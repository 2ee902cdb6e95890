namespace SleepTime.Server;

/// <summary>Limits and security of the HTTP API (configuration section <c>SleepTime:Server</c>).</summary>
public sealed class ServerOptions
{
    public const string Section = "SleepTime:Server";

    /// <summary>A bootstrap admin key. When empty and no admin key exists yet, one is generated and printed once.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Largest request body accepted (413 above it).</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest context, in characters (413 above it).</summary>
    public long MaxContextChars { get; set; } = 2_000_000;

    /// <summary>Requests per second each API key may make on average; 0 turns rate limiting off.</summary>
    public int RateLimitPerSecond { get; set; } = 200;

    /// <summary>How many requests a key may make in a burst.</summary>
    public int RateLimitBurst { get; set; } = 400;

    /// <summary>The paper's price ratio t: a test-time token costs t sleep-time tokens.</summary>
    public double CostRatio { get; set; } = CostModel.PaperRatio;

    /// <summary>How long a query may wait for an in-flight sleep run when it asks to.</summary>
    public double MaxWaitSeconds { get; set; } = 300;
}
