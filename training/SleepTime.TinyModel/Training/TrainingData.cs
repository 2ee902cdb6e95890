namespace SleepTime.TinyModel.Training;

/// <summary>
/// A tokenized transcript: the tokens, which positions are scored (position p scores token p + 1), and which of those
/// predict the reply (the rest, when scored, predict the prompt).
/// </summary>
public sealed record Example(string Kind, int[] Tokens, bool[] Scored, bool[] Reply)
{
    public int ScoredCount => Scored.Count(s => s);
}

/// <summary>
/// The endless, deterministic stream of training examples: generator seeds in order from
/// <see cref="TrainingSeeds.First"/> (wrapping after <see cref="TrainingSeeds.Count"/>), each seed's transcripts shuffled
/// with a seed derived from it, tokenized by the model's own tokenizer; longer than the context are dropped (counted).
/// </summary>
/// <remarks>
/// With <paramref name="scoreWholeTranscript"/> every token after the first is a target, the prompt's too: the context
/// after a learned context, and the learned context itself in a sleep-time answer's prompt, are more examples of
/// finding a quantity's number in the text, which replies alone give too rarely for a small model to learn copying.
/// </remarks>
/// <remarks>
/// <paramref name="sleepWeight"/> puts each sleep transcript in that many times: a context has one sleep and twelve
/// answers, and every sleep-time answer is only as good as the learned context the sleep wrote.
/// </remarks>
public sealed class TrainingData(CorpusBuilder corpus, Func<string, bool, int[]> tokenize, int contextLength, int seedOffset = 0, int contextsPerSeed = 20, bool scoreWholeTranscript = false, int sleepWeight = 1)
{
    private readonly Queue<Example> pending = new();
    private int nextSeed = seedOffset;

    public int Dropped { get; private set; }

    public int SeedsUsed => nextSeed;

    public Example Next()
    {
        while (pending.Count == 0)
        {
            var seed = TrainingSeeds.First + (nextSeed++ % TrainingSeeds.Count);
            var transcripts = corpus.TranscriptsAsync(seed, contextsPerSeed).GetAwaiter().GetResult()
                .SelectMany(t => Enumerable.Repeat(t, t.Kind == "sleep" ? Math.Max(1, sleepWeight) : 1));
            var random = new Random(TrainingSeeds.Initialization ^ seed);
            foreach (var transcript in transcripts.OrderBy(_ => random.Next()).ToList())
            {
                var example = Tokenize(transcript);
                if (example.Tokens.Length > contextLength + 1)
                {
                    Dropped++;
                    continue;
                }

                pending.Enqueue(example);
            }
        }

        return pending.Dequeue();
    }

    public Example Tokenize(Transcript transcript)
    {
        var prompt = tokenize(transcript.Prompt, true);
        var tokens = prompt.Concat(tokenize(transcript.Reply + CharVocabulary.TurnEnd, false)).ToArray();
        var reply = new bool[tokens.Length - 1];
        for (var p = prompt.Length - 1; p < reply.Length; p++)
        {
            reply[p] = true;
        }

        var scored = scoreWholeTranscript ? Enumerable.Repeat(true, reply.Length).ToArray() : reply;
        return new Example(transcript.Kind, tokens, scored, reply);
    }
}
