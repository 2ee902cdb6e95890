namespace SleepTime.TinyModel.Training;

/// <summary>A tokenized transcript: the tokens, and which positions are scored (position p scores token p + 1: the reply's).</summary>
public sealed record Example(string Kind, int[] Tokens, bool[] Scored)
{
    public int ScoredCount => Scored.Count(s => s);
}

/// <summary>
/// The endless, deterministic stream of training examples: generator seeds in order from
/// <see cref="TrainingSeeds.First"/> (wrapping after <see cref="TrainingSeeds.Count"/>), each seed's transcripts shuffled
/// with a seed derived from it, tokenized by the model's own tokenizer; longer than the context are dropped (counted).
/// </summary>
public sealed class TrainingData(CorpusBuilder corpus, Func<string, bool, int[]> tokenize, int contextLength, int seedOffset = 0, int contextsPerSeed = 20)
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
            var transcripts = corpus.TranscriptsAsync(seed, contextsPerSeed).GetAwaiter().GetResult();
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
        var reply = tokenize(transcript.Reply + CharVocabulary.TurnEnd, false);
        var tokens = prompt.Concat(reply).ToArray();
        var scored = new bool[tokens.Length - 1];
        for (var p = prompt.Length - 1; p < scored.Length; p++)
        {
            scored[p] = true;
        }

        return new Example(transcript.Kind, tokens, scored);
    }
}
