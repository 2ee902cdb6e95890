using System.Text.RegularExpressions;
using SleepTime.Grading;

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

        // The graders' scanners: the last \boxed{} as written, else the last number with "$" and "," removed.
        return reply.Contains(@"\boxed{", StringComparison.Ordinal) && AimeAnswer.Extract(reply) is { Length: > 0 } boxed
            ? boxed
            : GsmAnswer.Extract(reply);
    }

    [GeneratedRegex(@"answer is[:\s]*(?<value>[^\n]+?)\s*(?:$|\n)", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex AnswerIs();
}
