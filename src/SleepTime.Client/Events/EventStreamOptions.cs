namespace SleepTime.Client.Events;

/// <summary>How an event stream follows the server across dropped connections.</summary>
public sealed class EventStreamOptions
{
    /// <summary>Reconnections in a row without an event before the stream gives up (the last failure is thrown).</summary>
    public int MaxReconnects { get; init; } = 5;

    /// <summary>The wait before the first reconnection; it grows by this much with each failure in a row, to at most five times it.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Called when the server accepted the stream (its <c>ready</c> event), on the first connection and every reconnection.</summary>
    public Action? Connected { get; init; }

    /// <summary>Called before a reconnection: why (null: the server ended the stream) and the id it resumes after.</summary>
    public Action<Exception?, long?>? Reconnecting { get; init; }
}
