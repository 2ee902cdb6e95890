namespace SleepTime.Bench.Running;

/// <summary>
/// A token and cost estimate of the work a plan still has to do, made before any model is called. Input tokens are
/// counted from the real prompt text (context, question, learned context of the assumed size, instructions);
/// output tokens are assumptions per verbosity level and per sleep run, stated in the report so they can be judged.
/// </summary>
public sealed record RunEstimate(int SleepCalls, int AnswerCalls, long InputTokens, long OutputTokens, double CostInSleepTokens)
{
    /// <summary>Assumed output tokens of one answer at verbosity 0..4 (the paper's Fig. 3 puts level 0 near 50 and level 4 near 500+).</summary>
    public static readonly int[] AssumedAnswerOutput = [40, 120, 250, 400, 700];

    /// <summary>Assumed output tokens (including tool-call arguments) of one sleep run.</summary>
    public const int AssumedSleepRunOutput = 1_500;

    /// <summary>Tokens of the fixed instructions around a prompt.</summary>
    public const int InstructionTokens = 400;

    public static RunEstimate For(RunPlan plan, ITokenCounter counter, double priceRatio)
    {
        var contextTokens = new Dictionary<string, int>(StringComparer.Ordinal);
        int ContextTokens(Datasets.BenchContext c) => contextTokens.TryGetValue(c.Id, out var n) ? n : contextTokens[c.Id] = Count(counter, c.Text);

        long input = 0;
        long output = 0;
        long testOutput = 0;
        foreach (var work in plan.Answers)
        {
            var learned = work.Arm.NeedsSleep ? work.Arm.SleepRuns * 300 : 0;
            input += InstructionTokens + ContextTokens(work.Context) + counter.CountTokens(work.Question.Text) + learned;
            var answerOutput = work.Arm.Effort is null ? AssumedAnswerOutput[work.Arm.Verbosity] : AssumedAnswerOutput[EffortLevel(work.Arm)];
            output += answerOutput;
            testOutput += answerOutput;
        }

        long sleepOutput = 0;
        foreach (var (context, arm) in plan.Sleeps)
        {
            // A tools-mode run makes about two calls (rethink, finish), each re-reading the context.
            input += arm.SleepRuns * 2L * (InstructionTokens + ContextTokens(context));
            sleepOutput += arm.SleepRuns * (long)AssumedSleepRunOutput;
        }

        output += sleepOutput;
        return new RunEstimate(plan.Sleeps.Count, plan.Answers.Count, input, output, (priceRatio * testOutput) + sleepOutput);
    }

    /// <summary>Texts longer than this are counted on a prefix of this length and scaled by length (an estimate needs no exact count of 100k-token contexts).</summary>
    public const int ExactCountLimit = 16_000;

    private static int Count(ITokenCounter counter, string text) => ScaledTokenCount.Count(counter, text, ExactCountLimit);

    private static int EffortLevel(Arm arm) => arm.Effort switch
    {
        Microsoft.Extensions.AI.ReasoningEffort.Low => 1,
        Microsoft.Extensions.AI.ReasoningEffort.Medium => 3,
        _ => 4,
    };
}
