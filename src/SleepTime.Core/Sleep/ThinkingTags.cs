using System.Text.RegularExpressions;

namespace SleepTime;

/// <summary>Removes <c>&lt;think&gt;…&lt;/think&gt;</c> sections that reasoning models put in plain replies.</summary>
internal static partial class ThinkingTags
{
    public static string Strip(string text) => Think().Replace(text, string.Empty).Trim();

    [GeneratedRegex(@"<think>.*?(</think>|$)", RegexOptions.Singleline)]
    private static partial Regex Think();
}
