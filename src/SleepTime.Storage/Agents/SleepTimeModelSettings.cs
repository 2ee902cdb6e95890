namespace SleepTime.Storage;

/// <summary>
/// A sleep-time agent's own model endpoint, when it should not use the server's "sleep" model. The API key is named
/// by an environment variable, never stored.
/// </summary>
public sealed record SleepTimeModelSettings(string Model, string? Provider = null, Uri? Endpoint = null, string? ApiKeyEnvironmentVariable = null);
