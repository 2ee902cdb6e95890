namespace SleepTime.Bench.Running;

/// <summary>Named sets of arms for the paper's experiments.</summary>
public static class ArmPresets
{
    private static readonly Dictionary<string, Arm[]> Presets = new(StringComparer.OrdinalIgnoreCase)
    {
        // Fig. 3: test-time compute at five verbosity levels with and without sleep-time compute.
        ["paper-verbosity"] = [.. Levels(ArmKind.Baseline, 0), .. Levels(ArmKind.SleepTime, 1)],

        // Fig. 4: reasoning models, budget set by reasoning effort.
        ["paper-effort"] = [.. Efforts(ArmKind.Baseline, 0), .. Efforts(ArmKind.SleepTime, 1)],

        // Fig. 6/7: scaling sleep compute with k parallel sleep runs, at the two lowest budgets.
        ["paper-k"] = [.. Arm.PaperSleepRuns.SelectMany(k => new[] { new Arm(ArmKind.SleepTime, 0, SleepRuns: k), new Arm(ArmKind.SleepTime, 1, SleepRuns: k) })],

        // Fig. 5: pass@k against sleep-time compute, plus the context-only control.
        ["paper-pass"] = [new Arm(ArmKind.PassAtK, Samples: 5), new Arm(ArmKind.Baseline), new Arm(ArmKind.SleepTime, SleepRuns: 1), new Arm(ArmKind.ContextOnly)],

        // Everything the paper's figures need on one data set: Fig. 3 (verbosity with and without sleep), Fig. 6/7 (k), Fig. 5 (pass@k, context-only).
        ["paper"] = [.. Levels(ArmKind.Baseline, 0), .. Levels(ArmKind.SleepTime, 1),
            .. Arm.PaperSleepRuns.Where(k => k > 1).SelectMany(k => new[] { new Arm(ArmKind.SleepTime, 0, SleepRuns: k), new Arm(ArmKind.SleepTime, 1, SleepRuns: k) }),
            new Arm(ArmKind.PassAtK, Samples: 5), new Arm(ArmKind.ContextOnly)],
        // The paper's reference AIME runs: the learned context and the question only, at every verbosity.
        ["paper-learned-only"] = [.. Levels(ArmKind.Baseline, 0), .. Levels(ArmKind.SleepTime, 1).Select(a => a with { LearnedOnly = true })],
        // Six arms that cover every kind: the harness benchmark uses it.
        ["smoke"] = [new Arm(ArmKind.Baseline, 0), new Arm(ArmKind.Baseline, 3), new Arm(ArmKind.SleepTime, 0, SleepRuns: 1), new Arm(ArmKind.SleepTime, 3, SleepRuns: 1), new Arm(ArmKind.SleepTime, 0, SleepRuns: 2), new Arm(ArmKind.ContextOnly)],
    };

    public static IEnumerable<string> Names => Presets.Keys;

    public static bool TryGet(string name, out IReadOnlyList<Arm> arms)
    {
        var found = Presets.TryGetValue(name, out var value);
        arms = value ?? [];
        return found;
    }

    private static IEnumerable<Arm> Levels(ArmKind kind, int k) =>
        Enumerable.Range(AnswerBudget.MinVerbosity, AnswerBudget.MaxVerbosity + 1).Select(v => new Arm(kind, v, SleepRuns: k));

    private static IEnumerable<Arm> Efforts(ArmKind kind, int k) =>
        new[] { Microsoft.Extensions.AI.ReasoningEffort.Low, Microsoft.Extensions.AI.ReasoningEffort.Medium, Microsoft.Extensions.AI.ReasoningEffort.High }
            .Select(e => new Arm(kind, Effort: e, SleepRuns: k));
}
