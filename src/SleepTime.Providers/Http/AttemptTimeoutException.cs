namespace SleepTime.Providers.Http;

/// <summary>One attempt took longer than <see cref="ModelEndpointOptions.Timeout"/>; retried by <see cref="RetryingHttpHandler"/>.</summary>
internal sealed class AttemptTimeoutException(TimeSpan timeout, Exception? inner)
    : TimeoutException($"The attempt did not complete within the per-attempt timeout of {timeout.TotalSeconds:0.###} s.", inner)
{
    public TimeSpan Timeout { get; } = timeout;
}
