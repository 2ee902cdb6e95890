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

    /// <summary>The resume point, or the 400 problem for one that is not an integer or is after the newest event.</summary>
    public static async Task<(long? Id, IResult? Problem)> ReadAsync(HttpRequest request, EventHub hub, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hub);
        if (!TryRead(request, out var id))
        {
            return (null, Problems.BadRequest($"{Header} must be the id of an event this server sent: a non-negative integer.", Header));
        }

        if (id is { } after && !await hub.CanResumeAfterAsync(after, cancellationToken).ConfigureAwait(false))
        {
            return (null, Problems.BadRequest($"{Header} {after} is after the newest event; this server never sent it.", Header));
        }

        return (id, null);
    }
}
