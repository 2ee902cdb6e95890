namespace SleepTime.TinyModel.Training;

/// <summary>
/// Where a model stands on held-out transcripts (generator seeds below the training range), by what each reply
/// character asks of it: letters and symbols, an operand (a digit before a step's <c>=</c>: copied from the context,
/// the learned context, the question or the line's quotes), a quote (a digit in the quotes before a step's
/// <c>:</c>, copied after the words that precede it in the text), a result (a digit after <c>=</c>: arithmetic, which the calculator does at
/// inference), and the final answer's digits.
/// </summary>
public static class DigitProbe
{
    public static IReadOnlyDictionary<string, (double Loss, int Count)> Measure(Transformer model, TrainingData data, CorpusBuilder corpus, int seed, int contexts)
    {
        var sums = new Dictionary<string, (double Loss, int Count)>(StringComparer.Ordinal);
        var transcripts = corpus.HeldOutTranscriptsAsync(seed, contexts).GetAwaiter().GetResult();
        foreach (var transcript in transcripts)
        {
            var example = data.Tokenize(transcript);
            var losses = new double[example.Tokens.Length - 1];
            model.Backward(example.Tokens, example.Reply, 0, losses);
            var firstReply = Array.IndexOf(example.Reply, true);
            for (var p = firstReply; p < example.Reply.Length; p++)
            {
                var at = p - firstReply;
                var kind = at >= transcript.Reply.Length ? "end"
                    : transcript.Kind == "repeat" ? (char.IsAsciiDigit(transcript.Reply[at]) ? "repeat-digit" : "repeat-text")
                    : Classify(transcript.Reply, at);
                var (loss, count) = sums.GetValueOrDefault(kind);
                sums[kind] = (loss + losses[p], count + 1);
            }
        }

        return sums.ToDictionary(s => s.Key, s => (s.Value.Loss / s.Value.Count, s.Value.Count), StringComparer.Ordinal);
    }

    private static string Classify(string reply, int at)
    {
        if (!char.IsAsciiDigit(reply[at]))
        {
            return "text";
        }

        var lineStart = reply.LastIndexOf('\n', Math.Max(0, at - 1)) + 1;
        var line = reply[lineStart..at];
        return line.StartsWith("The answer is", StringComparison.Ordinal) ? "answer"
            : line.Contains('=', StringComparison.Ordinal) ? "result"
            : line.Contains(": ", StringComparison.Ordinal) ? "operand"
            : "quote";
    }
}
