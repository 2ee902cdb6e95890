using System.Globalization;
using Microsoft.Extensions.AI;

namespace SleepTime.Bench.Running;

/// <summary>
/// One arm of an experiment, written <c>kind[:key=value,...]</c>:
/// <c>baseline:v=0</c>, <c>baseline:effort=low</c>, <c>sleep:k=5,v=1,sleep-effort=high</c>, <c>context-only</c>,
/// <c>pass:k=5</c>. Keys: <c>v</c> verbosity 0–4, <c>effort</c> low|medium|high, <c>max-tokens</c>, <c>k</c> (sleep
/// runs, or samples for pass), <c>sleep-effort</c> low|medium|high, <c>input</c> learned|learned+context (what a
/// sleep-time answer sees besides the question: the learned context alone, or with the raw context, the default).
/// </summary>
public sealed record Arm(
    ArmKind Kind,
    int Verbosity = 0,
    ReasoningEffort? Effort = null,
    int? MaxOutputTokens = null,
    int SleepRuns = 0,
    ReasoningEffort? SleepEffort = null,
    int Samples = 1,
    bool LearnedOnly = false)
{
    /// <summary>The test input of a sleep-time arm by default: the learned context and the raw context, then the question.</summary>
    public const string InputLearnedAndContext = "learned+context";

    /// <summary>The paper's reference AIME scripts: the learned context and the question only.</summary>
    public const string InputLearned = "learned";

    public static readonly int[] PaperSleepRuns = [1, 2, 5, 10];

    /// <summary>The canonical spelling, used as the arm's key in the results.</summary>
    public string Name => Kind switch
    {
        ArmKind.Baseline => "baseline:" + Budget(),
        ArmKind.SleepTime => $"sleep:k={SleepRuns},{Budget()}{SleepEffortPart()}{InputPart()}",
        ArmKind.ContextOnly => "context-only" + (SleepRuns > 0 ? $":k={SleepRuns}{SleepEffortPart()}" : string.Empty),
        ArmKind.PassAtK => $"pass:k={Samples}",
        _ => Kind.ToString(),
    };

    /// <summary>Arms that differ only in the test budget form one curve (and one Pareto frontier).</summary>
    public string Family => Kind switch
    {
        ArmKind.Baseline => Effort is null ? "baseline" : "baseline (effort)",
        ArmKind.SleepTime => $"sleep-time k={SleepRuns}{SleepEffortPart()}" + (LearnedOnly ? " (learned only)" : string.Empty) + (Effort is null ? string.Empty : " (effort)"),
        ArmKind.ContextOnly => "context-only" + (SleepRuns > 0 ? $" k={SleepRuns}" : string.Empty),
        ArmKind.PassAtK => "pass@k",
        _ => Kind.ToString(),
    };

    /// <summary>Whether the arm needs a sleep, and which one (shared by every arm with the same k and sleep effort).</summary>
    public bool NeedsSleep => SleepRuns > 0 && Kind is ArmKind.SleepTime or ArmKind.ContextOnly;

    public string SleepKey(string contextId) => $"{contextId}|k={SleepRuns}|effort={SleepEffort?.ToString() ?? "default"}";

    public AskOptions ToAskOptions() => new()
    {
        Arm = Kind switch
        {
            ArmKind.SleepTime => AnswerArm.SleepTime,
            ArmKind.ContextOnly => AnswerArm.ContextOnly,
            _ => AnswerArm.Baseline,
        },
        Budget = new AnswerBudget(Verbosity, MaxOutputTokens, Effort),
        IncludeRawContext = !LearnedOnly,
    };

    public override string ToString() => Name;

    public static Arm Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        var kindText = (colon < 0 ? trimmed : trimmed[..colon]).ToLowerInvariant();
        var settings = colon < 0 ? [] : trimmed[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var kind = kindText switch
        {
            "baseline" => ArmKind.Baseline,
            "sleep" or "sleep-time" => ArmKind.SleepTime,
            "context-only" => ArmKind.ContextOnly,
            "pass" or "pass@k" => ArmKind.PassAtK,
            _ => throw Unknown(text, $"the kind \"{kindText}\" is unknown"),
        };

        var arm = new Arm(kind, SleepRuns: kind == ArmKind.SleepTime ? 1 : 0, Samples: kind == ArmKind.PassAtK ? 5 : 1);
        foreach (var setting in settings)
        {
            var parts = setting.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2)
            {
                throw Unknown(text, $"\"{setting}\" is not key=value");
            }

            var (key, value) = (parts[0].ToLowerInvariant(), parts[1]);
            arm = key switch
            {
                "v" or "verbosity" => arm with { Verbosity = Int(text, key, value, 0, 4) },
                "effort" => arm with { Effort = ParseEffort(text, value) },
                "max-tokens" => arm with { MaxOutputTokens = Int(text, key, value, 1, 1_000_000) },
                "k" when kind == ArmKind.PassAtK => arm with { Samples = Int(text, key, value, 1, 100) },
                "k" when kind is ArmKind.SleepTime or ArmKind.ContextOnly => arm with { SleepRuns = Int(text, key, value, kind == ArmKind.SleepTime ? 1 : 0, SleepOptions.MaxRuns) },
                "input" when kind == ArmKind.SleepTime => arm with { LearnedOnly = ParseInput(text, value) },
                "sleep-effort" when kind is ArmKind.SleepTime or ArmKind.ContextOnly => arm with { SleepEffort = ParseEffort(text, value) },
                _ => throw Unknown(text, $"the key \"{key}\" does not apply to {kindText}"),
            };
        }

        if (kind == ArmKind.PassAtK && (arm.Verbosity != 0 || arm.Effort is not null))
        {
            throw Unknown(text, "pass@k always runs at the lowest setting (verbosity 0)");
        }

        return arm;
    }

    /// <summary>Parses a list of arms and named presets (<see cref="ArmPresets"/>), dropping duplicates.</summary>
    public static IReadOnlyList<Arm> ParseList(IEnumerable<string> items)
    {
        var arms = new List<Arm>();
        foreach (var item in items.SelectMany(i => i.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var expanded = ArmPresets.TryGet(item, out var preset) ? preset : [Parse(item)];
            arms.AddRange(expanded.Where(a => !arms.Contains(a)));
        }

        return arms.Count > 0 ? arms : throw new SleepTimeValidationException("arms", "No arms were given.");
    }

    private string Budget() =>
        (Effort is { } e ? $"effort={e.ToString().ToLowerInvariant()}" : $"v={Verbosity}")
        + (MaxOutputTokens is { } m ? $",max-tokens={m}" : string.Empty);

    private string InputPart() => LearnedOnly ? $",input={InputLearned}" : string.Empty;

    private static bool ParseInput(string text, string value) => value.ToLowerInvariant() switch
    {
        InputLearned => true,
        InputLearnedAndContext => false,
        _ => throw Unknown(text, $"input must be {InputLearned} (learned context and question, as the paper's AIME scripts) or {InputLearnedAndContext} (the default), not \"{value}\""),
    };

    private string SleepEffortPart() => SleepEffort is { } e ? $",sleep-effort={e.ToString().ToLowerInvariant()}" : string.Empty;

    private static int Int(string text, string key, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw Unknown(text, $"{key} must be an integer from {min} to {max}, not \"{value}\"");

    private static ReasoningEffort ParseEffort(string text, string value) => value.ToLowerInvariant() switch
    {
        "low" => ReasoningEffort.Low,
        "medium" => ReasoningEffort.Medium,
        "high" => ReasoningEffort.High,
        _ => throw Unknown(text, $"effort must be low, medium or high, not \"{value}\""),
    };

    private static SleepTimeValidationException Unknown(string text, string why) =>
        new("arm", $"Unknown arm \"{text}\": {why}. Arms look like baseline:v=0, baseline:effort=low, sleep:k=5,v=1,sleep-effort=high, context-only, pass:k=5; presets: {string.Join(", ", ArmPresets.Names)}.");
}
