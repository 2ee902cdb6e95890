using SleepTime.Bench.Datasets;

namespace SleepTime.Bench.Running;

/// <summary>One answer to compute: a question, an arm, a sample index.</summary>
public sealed record AnswerWork(BenchContext Context, BenchQuestion Question, Arm Arm, int Sample)
{
    public string Key => AnswerRecord.MakeKey(Question.Id, Arm.Name, Sample);
}

/// <summary>What a run still has to do, given what the results store already holds.</summary>
public sealed record RunPlan(IReadOnlyList<AnswerWork> Answers, IReadOnlyList<(BenchContext Context, Arm Arm)> Sleeps, int AnswersReused, int SleepsReused)
{
    public static RunPlan Create(BenchDataset dataset, IReadOnlyList<Arm> arms, ResultsStore store)
    {
        var answers = new List<AnswerWork>();
        var sleeps = new List<(BenchContext, Arm)>();
        var sleepKeys = new HashSet<string>(StringComparer.Ordinal);
        var answersReused = 0;
        var sleepsReused = 0;

        foreach (var context in dataset.Contexts)
        {
            foreach (var arm in arms)
            {
                var pending = context.Questions
                    .SelectMany(q => Enumerable.Range(0, arm.Samples).Select(s => new AnswerWork(context, q, arm, s)))
                    .ToList();
                var missing = pending.Where(w => !store.HasAnswer(w.Key)).ToList();
                answersReused += pending.Count - missing.Count;
                answers.AddRange(missing);

                if (arm.NeedsSleep && sleepKeys.Add(arm.SleepKey(context.Id)))
                {
                    if (store.TryGetSleep(arm.SleepKey(context.Id), out _))
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
}
