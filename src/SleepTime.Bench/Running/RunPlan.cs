using SleepTime.Bench.Datasets;
using SleepTime.Bench.Provenance;

namespace SleepTime.Bench.Running;

/// <summary>One answer to compute: a question, an arm, a sample index.</summary>
public sealed record AnswerWork(BenchContext Context, BenchQuestion Question, Arm Arm, int Sample)
{
    public string Key => AnswerRecord.MakeKey(Question.Id, Arm.Name, Sample);
}

/// <summary>
/// What a run still has to do, given what the results store already holds. A stored result is reused only when it
/// is usable and still current: an answer with a reply, whose question, context and reference answer hash as they
/// do now and whose prompts are the current ones; a sleep that succeeded on the same context text with the same
/// prompts; with a judge, an answer the same judge has graded. A failed sleep is done again, and so is every sleep-time answer that depended on it.
/// </summary>
public sealed record RunPlan(IReadOnlyList<AnswerWork> Answers, IReadOnlyList<(BenchContext Context, Arm Arm)> Sleeps, int AnswersReused, int SleepsReused)
{
    public static RunPlan Create(BenchDataset dataset, IReadOnlyList<Arm> arms, ResultsStore store, PromptSet? prompts = null, string? judgeFingerprint = null)
    {
        prompts ??= PromptSet.Default;
        var answers = new List<AnswerWork>();
        var sleeps = new List<(BenchContext, Arm)>();
        var sleepKeys = new HashSet<string>(StringComparer.Ordinal);
        var answersReused = 0;
        var sleepsReused = 0;

        foreach (var context in dataset.Contexts)
        {
            var contextHash = ItemHashes.Of(context);
            foreach (var arm in arms)
            {
                var sleepUsable = !arm.NeedsSleep || SleepUsable(store, arm.SleepKey(context.Id), contextHash, prompts);
                var pending = context.Questions
                    .SelectMany(q => Enumerable.Range(0, arm.Samples).Select(s => new AnswerWork(context, q, arm, s)))
                    .ToList();
                var missing = pending.Where(w => !sleepUsable || !AnswerUsable(store, w, prompts, judgeFingerprint)).ToList();
                answersReused += pending.Count - missing.Count;
                answers.AddRange(missing);

                if (arm.NeedsSleep && sleepKeys.Add(arm.SleepKey(context.Id)))
                {
                    if (sleepUsable)
                    {
                        sleepsReused++;
                    }
                    else
                    {
                        sleeps.Add((context, arm));
                    }
                }
            }
        }

        // A sleep is only worth running when some answer still needs it.
        var neededSleeps = answers.Where(a => a.Arm.NeedsSleep).Select(a => a.Arm.SleepKey(a.Context.Id)).ToHashSet(StringComparer.Ordinal);
        sleeps = sleeps.Where(s => neededSleeps.Contains(s.Item2.SleepKey(s.Item1.Id))).ToList();
        return new RunPlan(answers, sleeps, answersReused, sleepsReused);
    }

    /// <summary>Whether a stored sleep can serve: it succeeded, on this context text, with these prompts (records from before hashes were kept count as current).</summary>
    public static bool SleepUsable(ResultsStore store, string key, string contextHash, PromptSet prompts) =>
        store.TryGetSleep(key, out var sleep)
        && sleep.Succeeded
        && (sleep.ContextHash is null || sleep.ContextHash == contextHash)
        && (sleep.PromptHash is null || sleep.PromptHash == prompts.SleepHash);

    private static bool AnswerUsable(ResultsStore store, AnswerWork work, PromptSet prompts, string? judgeFingerprint) =>
        store.Answers.TryGetValue(work.Key, out var answer)
        && answer.Reply is not null
        && answer.Excluded is null
        && (judgeFingerprint is null || (answer.Judged is not null && answer.JudgeFingerprint == judgeFingerprint))
        && (answer.ItemHash is null || answer.ItemHash == ItemHashes.Of(work.Context, work.Question))
        && (answer.PromptHash is null || answer.PromptHash == prompts.TestHash);
}
