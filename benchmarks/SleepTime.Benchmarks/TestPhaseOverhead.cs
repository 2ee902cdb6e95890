using BenchmarkDotNet.Attributes;
using SleepTime.Testing;

namespace SleepTime.Benchmarks;

/// <summary>
/// The engine's own cost of one test-phase query: prompt assembly, the call through IChatClient, usage and answer
/// extraction, with a model that answers instantly and a 5,000-character learned context.
/// </summary>
[MemoryDiagnoser]
public class TestPhaseOverhead
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;
    private TestPhase reportedUsage = null!;
    private TestPhase estimatedUsage = null!;
    private SleepTimeEngine engine = null!;
    private ContextSnapshot context = null!;
    private LearnedContext learned = null!;
    private readonly AskOptions options = new() { Budget = AnswerBudget.Level(1) };

    [GlobalSetup]
    public async Task Setup()
    {
        context = new ContextSnapshot("bench", ContextKind.Document, 1, 1, [new ContextEntry(1, Text(2_000, "Context sentence. "), null, Now)], Now, Now);
        learned = new LearnedContext(
            "bench", 1, [Block.OfLearned("ctx", "learned_context", Text(5_000, "derived_quantity = 12 * 7 = 84. "), 8_000)],
            new LearnedContextProvenance(1, "m", "sleep-math", 1, 1, false, null, TokenUsage.Zero, Now));
        reportedUsage = new TestPhase(new InstantChatClient());
        estimatedUsage = new TestPhase(new InstantChatClient(reportUsage: false));

        var store = new InMemoryContextStore();
        await store.CreateAsync(ContextKind.Document, [ContextInput.Document(context.Render())], "bench");
        await store.TryCommitAsync(learned, null);
        engine = SleepTimeEngine.Create(new InstantChatClient(), new SleepTimeEngineOptions { Contexts = store, LearnedContexts = store });
    }

    [Benchmark(Baseline = true, Description = "TestPhase.AnswerAsync, provider usage")]
    public Task<Answer> TestPhaseWithReportedUsage() => reportedUsage.AnswerAsync(context, learned, "How many widgets remain?", options);

    [Benchmark(Description = "SleepTimeEngine.AskAsync, in-memory store")]
    public Task<Answer> EngineAsk() => engine.AskAsync("bench", "How many widgets remain?", options);

    [Benchmark(Description = "TestPhase.AnswerAsync, o200k token-count fallback")]
    public Task<Answer> TestPhaseWithEstimatedUsage() => estimatedUsage.AnswerAsync(context, learned, "How many widgets remain?", options);

    private static string Text(int length, string sentence) =>
        string.Concat(Enumerable.Repeat(sentence, (length / sentence.Length) + 1))[..length];
}
