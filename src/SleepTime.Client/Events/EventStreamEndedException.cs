namespace SleepTime.Client.Events;

/// <summary>The server kept ending an event stream without sending an event; the stream gave up reconnecting.</summary>
public sealed class EventStreamEndedException : IOException
{
    public EventStreamEndedException()
    {
    }

    public EventStreamEndedException(string message)
        : base(message)
    {
    }

    public EventStreamEndedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
