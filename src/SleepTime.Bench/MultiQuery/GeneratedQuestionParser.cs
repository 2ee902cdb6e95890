using System.Globalization;
using System.Text.RegularExpressions;
using SleepTime.Bench.Datasets;

namespace SleepTime.Bench.MultiQuery;

/// <summary>
/// Reads "Question: … / Answer: … #### N" blocks out of a model's reply and keeps the well-formed ones: a GSM answer
/// must be a number, an AIME answer an integer from 0 to 999.
/// </summary>
public static partial class GeneratedQuestionParser
{
    public static IReadOnlyList<GeneratedQuestion> Parse(string reply, DatasetKind kind)
    {
        var found = new List<GeneratedQuestion>();
        foreach (Match match in Block().Matches(reply.Replace("**", string.Empty, StringComparison.Ordinal)))
        {
            var question = match.Groups["question"].Value.Trim();
            var answer = match.Groups["answer"].Value.Trim().TrimEnd('.').Replace(",", string.Empty, StringComparison.Ordinal).Replace("$", string.Empty, StringComparison.Ordinal).Trim();
            if (question.Length > 0 && IsValidAnswer(answer, kind))
            {
                found.Add(new GeneratedQuestion(question, match.Groups["solution"].Value.Trim(), answer));
            }
        }

        return found;
    }

    private static bool IsValidAnswer(string answer, DatasetKind kind) => kind == DatasetKind.Aime
        ? int.TryParse(answer, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 999
        : decimal.TryParse(answer, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _);

    [GeneratedRegex(@"Question:\s*(?<question>(?:(?!Question:|Answer:).)+?)\s*Answer:\s*(?<solution>(?:(?!Question:).)*?)####[ \t]*(?<answer>[^\n]+)", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Block();
}
