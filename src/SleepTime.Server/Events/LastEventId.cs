using System.Globalization;

namespace SleepTime.Server;

/// <summary>Where a reconnecting SSE client resumes: the <c>Last-Event-ID</c> header (or <c>?last_event_id=</c>).</summary>
public static class LastEventId
{
    public const string Header = "Last-Event-ID";

    /// <summary>The id to resume after, null for none; false when the value is not a non-negative integer.</summary>
    public static bool TryRead(HttpRequest request, out long? id)
    {
        ArgumentNullException.ThrowIfNull(request);
        id = null;
        var value = request.Headers[Header].ToString();
        if (string.IsNullOrEmpty(value))
        {
            value = request.Query["last_event_id"].ToString();
        }

        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        if (long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            id = parsed;
            return true;
        }

        return false;
    }

    public static IResult Invalid() =>
        Problems.BadRequest($"{Header} must be the id of an event this server sent: a non-negative integer.", Header);
}
