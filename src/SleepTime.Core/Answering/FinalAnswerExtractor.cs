using System.Text.RegularExpressions;

namespace SleepTime;

/// <summary>
/// Pulls the final answer out of a reply: what follows the last "answer is", else the content of the last
/// <c>\boxed{}</c>, else the last number. Dataset graders (GSM, AIME) apply their own stricter rules.
/// </summary>
public static partial class FinalAnswerExtractor
{
    public static string? Extract(string reply)
    {
        if (string.IsNullOrWhiteSpace(reply))
        {
            return null;
        }

        var stated = AnswerIs().Matches(reply);
        if (stated.Count > 0)
        {
            var value = stated[^1].Groups["value"].Value.Trim().TrimEnd('.', '!', ' ').Trim('*', ' ');
            if (value.Length > 0)
            {
                return value;
            }
        }

        var boxed = reply.LastIndexOf(@"\boxed{", StringComparison.Ordinal);
        if (boxed >= 0)
        {
            var start = boxed + 7;
            var depth = 1;
            for (var i = start; i < reply.Length; i++)
            {
                depth += reply[i] switch { '{' => 1, '}' => -1, _ => 0 };
                if (depth == 0)
                {
                    return reply[start..i].Trim();
                }
            }
        }

        var numbers = Number().Matches(reply);
        return numbers.Count > 0 ? numbers[^1].Value.Replace(",", string.Empty, StringComparison.Ordinal).TrimEnd('.') : null;
    }

    [GeneratedRegex(@"answer is[:\s]*(?<value>[^\n]+?)\s*(?:$|\n)", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex AnswerIs();

    [GeneratedRegex(@"-?\d[\d,]*(?:\.\d+)?")]
    private static partial Regex Number();
}
