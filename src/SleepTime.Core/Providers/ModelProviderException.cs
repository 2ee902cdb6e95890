namespace SleepTime.Providers;

/// <summary>
/// A model call failed at the provider: the endpoint answered with an error status, could not be reached,
/// or did not answer within the per-attempt timeout after all retries were spent.
/// </summary>
/// <remarks>
/// Raised by the provider layer in place of each SDK's own exception types so that the engine can record a
/// failed run with a clear reason without knowing which SDK sits underneath. A caller's own cancellation is never
/// reported this way; it surfaces as <see cref="OperationCanceledException"/>.
/// </remarks>
public sealed class ModelProviderException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, in words a user can act on.</param>
    /// <param name="provider">The provider that failed (for example <c>OpenAI</c>, <c>Anthropic</c>, <c>Ollama</c>).</param>
    /// <param name="statusCode">The HTTP status code of the last response, or <see langword="null"/> when none arrived.</param>
    /// <param name="isTransient">Whether trying again later may succeed (rate limits, overload, timeouts, network errors).</param>
    /// <param name="retryAfter">How long the provider asked the caller to wait, when it said so.</param>
    /// <param name="innerException">The SDK's or the network's own exception.</param>
    public ModelProviderException(
        string message,
        string provider,
        int? statusCode = null,
        bool isTransient = false,
        TimeSpan? retryAfter = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        Provider = provider;
        StatusCode = statusCode;
        IsTransient = isTransient;
        RetryAfter = retryAfter;
    }

    /// <summary>Creates the exception with only a message and an inner exception; the provider is <c>unknown</c>.</summary>
    public ModelProviderException(string message, Exception? innerException)
        : this(message, "unknown", innerException: innerException)
    {
    }

    /// <summary>The provider that failed (for example <c>OpenAI</c>, <c>Anthropic</c>, <c>Ollama</c>).</summary>
    public string Provider { get; }

    /// <summary>The HTTP status code of the last response, or <see langword="null"/> when no response arrived.</summary>
    public int? StatusCode { get; }

    /// <summary>Whether trying again later may succeed (429, 5xx, timeouts, network errors).</summary>
    public bool IsTransient { get; }

    /// <summary>How long the provider asked the caller to wait before trying again, when it said so.</summary>
    public TimeSpan? RetryAfter { get; }
}
