namespace SleepTime;

/// <summary>Input that cannot be processed: the message says what is wrong and <see cref="Field"/> names it.</summary>
public sealed class SleepTimeValidationException(string field, string message) : SleepTimeException(message)
{
    public string Field { get; } = field;
}
