namespace SleepTime;

/// <summary>The value after an edit, or the reason it could not be applied.</summary>
public readonly record struct EditResult(string? Value, string? Error)
{
    public bool Succeeded => Error is null;

    public static EditResult Ok(string value) => new(value, null);

    public static EditResult Fail(string error) => new(null, error);
}
