using System.Net.Http.Headers;

namespace SleepTime.Providers.Http;

/// <summary>Reads a <c>Retry-After</c> header: seconds (<c>7</c>) or an HTTP date.</summary>
internal static class RetryAfter
{
    /// <summary>The delay a response asks for, or <see langword="null"/> when it asks for none (or for a past date).</summary>
    public static TimeSpan? From(HttpResponseMessage response, TimeProvider timeProvider) =>
        From(response.Headers.RetryAfter, timeProvider);

    public static TimeSpan? From(RetryConditionHeaderValue? header, TimeProvider timeProvider)
    {
        if (header is null)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta >= TimeSpan.Zero ? delta : null;
        }

        if (header.Date is { } date)
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>Parses a raw header value (seconds or an HTTP date).</summary>
    public static TimeSpan? Parse(string? value, TimeProvider timeProvider) =>
        !string.IsNullOrWhiteSpace(value) && RetryConditionHeaderValue.TryParse(value, out var header)
            ? From(header, timeProvider)
            : null;
}
