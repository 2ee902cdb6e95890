using System.Text.RegularExpressions;

namespace SleepTime;

/// <summary>The rules every block store applies, so that stores agree on what a valid block is.</summary>
public static partial class BlockValidation
{
    public const int MaxLimit = 100_000;

    public static void Validate(NewBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (string.IsNullOrWhiteSpace(block.Label) || !LabelPattern().IsMatch(block.Label))
        {
            throw new SleepTimeValidationException("label", "A block label is 1 to 64 characters of letters, digits, '_' or '-', starting with a letter.");
        }

        if (block.Limit is < 1 or > MaxLimit)
        {
            throw new SleepTimeValidationException("limit", $"A block limit is between 1 and {MaxLimit} characters.");
        }

        ValidateValue(block.Value, block.Limit);
    }

    public static void ValidateValue(string? value, int limit)
    {
        if (value is null)
        {
            throw new SleepTimeValidationException("value", "A block value cannot be null; use an empty string.");
        }

        if (value.Length > limit)
        {
            throw new SleepTimeValidationException("value", $"The value is {value.Length} characters, over the block's limit of {limit}.");
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex LabelPattern();
}
