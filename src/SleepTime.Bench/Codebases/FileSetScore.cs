namespace SleepTime.Bench.Codebases;

/// <summary>Precision, recall and F1 of a predicted set of files against the ground truth (paths compared exactly).</summary>
public sealed record FileSetScore(double Precision, double Recall, double F1, int Predicted, int Expected, int Correct)
{
    public static FileSetScore Of(IEnumerable<string> predicted, IEnumerable<string> expected)
    {
        var guess = predicted.Select(Normalize).Where(p => p.Length > 0).ToHashSet(StringComparer.Ordinal);
        var truth = expected.Select(Normalize).Where(p => p.Length > 0).ToHashSet(StringComparer.Ordinal);
        var correct = guess.Count(truth.Contains);
        var precision = guess.Count == 0 ? (truth.Count == 0 ? 1 : 0) : (double)correct / guess.Count;
        var recall = truth.Count == 0 ? 1 : (double)correct / truth.Count;
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new FileSetScore(precision, recall, f1, guess.Count, truth.Count, correct);
    }

    private static string Normalize(string path)
    {
        var text = path.Trim().Replace('\\', '/');
        while (text.StartsWith("./", StringComparison.Ordinal))
        {
            text = text[2..];
        }

        return text.TrimStart('/');
    }
}
