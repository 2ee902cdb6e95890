using Microsoft.Extensions.AI;
using SleepTime.Bench.Generation;
using SleepTime.Providers.Local;

namespace SleepTime.TinyModel.Training;

/// <summary>
/// What the corpus renders through: a model file with the vocabulary and chat template loaded by the local provider
/// (its weights are irrelevant: only its tokenizer and template are used), the provider's prompt renderer, and the
/// compact prompts.
/// </summary>
public sealed class TrainingSession : IDisposable
{
    private readonly string file;
    private readonly LocalModel model;
    private readonly LocalChatClient client;

    private TrainingSession(string file, LocalModel model, int contextLength, int seedOffset, bool scoreWholeTranscript, int sleepWeight)
    {
        this.file = file;
        this.model = model;
        client = new LocalChatClient(model, "sleeptime-tiny-renderer");
        Corpus = new CorpusBuilder(new WordProblemGenerator(), PromptLibrary.Compact, messages => client.RenderPrompt(messages));
        Data = new TrainingData(Corpus, model.Tokenize, contextLength, seedOffset, scoreWholeTranscript: scoreWholeTranscript, sleepWeight: sleepWeight);
    }

    public CorpusBuilder Corpus { get; }

    public TrainingData Data { get; }

    public LocalChatClient Client => client;

    public LocalModel Model => model;

    /// <param name="config">The model's shape (its context length bounds the examples).</param>
    /// <param name="seedOffset">Generator seeds start at <see cref="TrainingSeeds.First"/> plus this.</param>
    /// <param name="scoreWholeTranscript">Train on the prompt's tokens too, not only the reply's.</param>
    /// <param name="sleepWeight">How many times each sleep transcript is trained on.</param>
    public static TrainingSession Open(TinyModelConfig config, int seedOffset = 0, bool scoreWholeTranscript = false, int sleepWeight = 1)
    {
        var file = Path.Combine(Path.GetTempPath(), $"sleeptime-tiny-renderer-{Environment.ProcessId}-{Guid.NewGuid():N}.gguf");
        var shape = TinyModelConfig.Smoke(config.VocabularySize) with { ContextLength = config.ContextLength };
        TinyModelFile.Save(file, "sleeptime-tiny renderer", shape, CharVocabulary.Instance, TinyModelFile.Initialize(shape, 1));
        var model = LocalModel.Load(new LocalModelSettings(file, config.ContextLength, Threads: 1, MaxContexts: 1));
        return new TrainingSession(file, model, config.ContextLength, seedOffset, scoreWholeTranscript, sleepWeight);
    }

    public void Dispose()
    {
        client.Dispose();
        model.Dispose();
        File.Delete(file);
    }
}
