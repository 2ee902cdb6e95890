using System.Text.Json;
using SleepTime.Bench.Datasets;

namespace SleepTime.Bench.Predictability;

/// <summary>One scored question, a line of <c>predictability.jsonl</c> beside the results.</summary>
public sealed record PredictabilityRecord(string QuestionId, string ContextId, double LogProb, int Tokens);

/// <summary>Scores every question of a data set and stores the scores, resuming like the results store.</summary>
public static class PredictabilityFile
{
    public const string FileName = "predictability.jsonl";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static async Task<int> ScoreAsync(BenchDataset dataset, IQuestionLikelihood likelihood, string folder, int concurrency = 4, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(folder, FileName);
        var done = File.Exists(path) ? Read(path).Keys.ToHashSet(StringComparer.Ordinal) : [];
        var gate = new Lock();
        var scored = 0;
        await using var writer = new StreamWriter(path, append: true);
        await Parallel.ForEachAsync(
            dataset.Items.Where(i => !done.Contains(i.Question.Id)),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (item, token) =>
            {
                var score = await likelihood.ScoreAsync(item.Context.Text, item.Question.Text, token).ConfigureAwait(false);
                var line = JsonSerializer.Serialize(new PredictabilityRecord(item.Question.Id, item.Context.Id, score.LogProb, score.Tokens), Json);
                lock (gate)
                {
                    writer.WriteLine(line);
                    writer.Flush();
                    scored++;
                }
            }).ConfigureAwait(false);
        return scored;
    }

    /// <summary>question id → log P(question | context).</summary>
    public static IReadOnlyDictionary<string, double> Read(string path)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var row in JsonLines.Read(path))
        {
            var record = row.Value.Deserialize<PredictabilityRecord>(Json) ?? throw row.Error("not a predictability record.");
            scores[record.QuestionId] = record.LogProb;
        }

        return scores;
    }
}
