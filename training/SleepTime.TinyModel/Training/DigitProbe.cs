namespace SleepTime.TinyModel.Training;

/// <summary>
/// Where a model stands on held-out transcripts (generator seeds below the training range), by what each reply
/// character asks of it: text (labels, references and the final sentence, all the model's own choice), a digit
/// after a reference (<c>[tray holds] 20</c>: written by the lookup at run time), a result after <c>=</c> (written by
/// the calculator), and any other digit (a constant, or a number the model must write itself).
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
                var kind = at >= transcript.Reply.Length ? "end" : Classify(transcript.Reply, at);
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
        var numberStart = line.TrimEnd("0123456789".ToCharArray());
        return numberStart.EndsWith("= ", StringComparison.Ordinal) ? "result"
            : numberStart.EndsWith("] ", StringComparison.Ordinal) ? "looked-up"
            : "own";
    }
}
