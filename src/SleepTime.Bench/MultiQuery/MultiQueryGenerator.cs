using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.AI;
using SleepTime.Bench.Datasets;

namespace SleepTime.Bench.MultiQuery;

/// <summary>
/// The paper's Multi-Query recipe for an external data set: shown a context and one question with its answer, a model
/// writes further questions of the same difficulty with answers after <c>####</c>. Malformed proposals, non-numeric
/// answers and repeats of an existing question are dropped, so every kept question has an exact answer to grade.
/// </summary>
public sealed class MultiQueryGenerator
{
    private static readonly PromptLibrary Prompts = PromptLibrary.LoadEmbedded(typeof(MultiQueryGenerator).Assembly);
    private readonly IChatClient model;
    private readonly UsageMeter meter;

    public MultiQueryGenerator(IChatClient model, ITokenCounter? tokenCounter = null)
    {
        this.model = model ?? throw new ArgumentNullException(nameof(model));
        meter = new UsageMeter(tokenCounter ?? O200kTokenCounter.Instance);
    }

    public static PromptTemplate Prompt => Prompts.Get("multi-query");

    public async Task<MultiQueryResult> GenerateAsync(BenchDataset dataset, int questionsPerContext, int concurrency = 4, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (questionsPerContext is < 1 or > 50)
        {
            throw new SleepTimeValidationException("questions", "Ask for 1 to 50 new questions per context.");
        }

        if (concurrency < 1)
        {
            throw new SleepTimeValidationException("concurrency", "Concurrency must be at least 1.");
        }

        var extended = new BenchContext[dataset.Contexts.Count];
        var usage = new ConcurrentBag<TokenUsage>();
        int added = 0, rejected = 0, shortContexts = 0, failed = 0;
        string? firstError = null;

        await Parallel.ForEachAsync(
            Enumerable.Range(0, dataset.Contexts.Count),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (index, token) =>
            {
                var context = dataset.Contexts[index];
                IReadOnlyList<GeneratedQuestion> proposals;
                try
                {
                    (proposals, var callUsage) = await ProposeAsync(dataset.Kind, context, questionsPerContext, token).ConfigureAwait(false);
                    usage.Add(callUsage);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    // One context's failed call (after the provider's retries) keeps its original questions only.
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstError, $"{context.Id}: {ex.Message}", null);
                    proposals = [];
                }

                var seen = new HashSet<string>(context.Questions.Select(q => Normalize(q.Text)), StringComparer.Ordinal);
                var kept = proposals.Where(p => seen.Add(Normalize(p.Question))).Take(questionsPerContext).ToList();
                var newQuestions = kept.Select((p, i) => new BenchQuestion($"{context.Id}/mq{i + 1}", p.Question, p.Answer));
                extended[index] = context with { Questions = [.. context.Questions, .. newQuestions] };

                Interlocked.Add(ref added, kept.Count);
                Interlocked.Add(ref rejected, proposals.Count - kept.Count);
                if (kept.Count < questionsPerContext)
                {
                    Interlocked.Increment(ref shortContexts);
                }
            }).ConfigureAwait(false);

        return new MultiQueryResult(dataset with { Contexts = extended }, added, rejected, shortContexts, failed, firstError, TokenUsage.Sum(usage));
    }

    /// <summary>Writes the data set in the stateful format, questions of one context sharing a <c>context_id</c>.</summary>
    public static void Write(string path, BenchDataset dataset)
    {
        var (contextField, questionField) = dataset.Kind == DatasetKind.Gsm
            ? (StatefulFields.GsmContext, StatefulFields.GsmQuestion)
            : (StatefulFields.AimeContext, StatefulFields.AimeQuestion);
        var rows = dataset.Items.Select(item => new Dictionary<string, object>
        {
            [contextField] = item.Context.Text,
            [questionField] = item.Question.Text,
            [StatefulFields.Answer] = dataset.Kind == DatasetKind.Gsm ? $"#### {item.Question.Expected}" : int.Parse(item.Question.Expected, System.Globalization.CultureInfo.InvariantCulture),
            [StatefulFields.ContextId] = item.Context.Id,
            ["question_id"] = item.Question.Id,
        });
        JsonLines.Write(path, rows, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private async Task<(IReadOnlyList<GeneratedQuestion> Proposals, TokenUsage Usage)> ProposeAsync(DatasetKind kind, BenchContext context, int count, CancellationToken cancellationToken)
    {
        var example = context.Questions[0];
        var prompt = Prompt.Render(
            ("count", count.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("answer_kind", kind == DatasetKind.Aime ? "an integer from 0 to 999" : "a number"),
            ("context", context.Text),
            ("question", example.Text),
            ("answer", example.Expected));
        List<ChatMessage> messages = [new(ChatRole.User, prompt)];
        var response = await model.GetResponseAsync(messages, cancellationToken: cancellationToken).ConfigureAwait(false);
        return (GeneratedQuestionParser.Parse(response.Text, kind), meter.Measure(messages, response));
    }

    private static string Normalize(string question) =>
        string.Join(' ', question.ToUpperInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).TrimEnd('?', '.', ' ');
}
