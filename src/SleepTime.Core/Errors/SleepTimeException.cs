namespace SleepTime;

/// <summary>Base of the errors SleepTime raises on purpose.</summary>
public class SleepTimeException : Exception
{
    public SleepTimeException(string message)
        : base(message)
    {
    }

    public SleepTimeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
