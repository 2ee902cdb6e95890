using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>
/// When a sleeper sleeps and with which sleep options: the one policy of a context's default sleeper and of a
/// sleep-time agent. Every trigger lands in the sleeper's single queued run, so however many fire, one run follows.
/// </summary>
public sealed record SchedulePolicy
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>A sleep-time agent's default: sleep every five user turns.</summary>
    public static SchedulePolicy AgentDefault { get; } = new() { OnChange = false, EveryTurns = 5 };

    /// <summary>Sleep after the sources change and then stay unchanged for <see cref="DebounceSeconds"/>.</summary>
    public bool OnChange { get; init; } = true;

    public double DebounceSeconds { get; init; } = 5;

    /// <summary>Under continuous changes, sleep at the latest this long after the first change that is still unread (0: no bound).</summary>
    public double MaxWaitSeconds { get; init; } = 60;

    /// <summary>Sleep once this many new user turns arrived (0: off). When set, it replaces <see cref="OnChange"/>.</summary>
    public int EveryTurns { get; init; }

    /// <summary>Sleep once this many new transcript tokens arrived (0: off).</summary>
    public int TranscriptTokens { get; init; }

    /// <summary>Sleep after the sources have been quiet this long after a change (0: off).</summary>
    public double IdleSeconds { get; init; }

    /// <summary>A cron expression (Quartz syntax, seconds first), e.g. <c>0 0 3 * * ?</c>; sleeps when something is unread.</summary>
    public string? Cron { get; init; }

    /// <summary>Most sleep tokens this sleeper may spend per UTC day; a run that would cross it stops.</summary>
    public long? DailyTokenCap { get; init; }

    /// <summary>Character limit of each learned block (whole-block strategy).</summary>
    public int BlockLimit { get; init; } = 8_000;

    /// <summary>k: independent sleep runs concatenated into the learned context (whole-block strategy).</summary>
    public int Runs { get; init; } = 1;

    /// <summary>Which sleep instructions a context uses.</summary>
    public SleepPromptVariant Variant { get; init; } = SleepPromptVariant.General;

    /// <summary>Tool calls (the paper's loop), or plain text for models without tool calling.</summary>
    public SleepMode Mode { get; init; } = SleepMode.Tools;

    public ReasoningEffort? ReasoningEffort { get; init; }

    public int? MaxOutputTokens { get; init; }

    [JsonIgnore]
    public TimeSpan Debounce => TimeSpan.FromSeconds(DebounceSeconds);

    /// <summary>Checks every field; <paramref name="cronFiresAgain"/> checks a cron expression where a scheduler that knows its syntax runs.</summary>
    public void Validate(Func<string, string?>? cronProblem = null)
    {
        Check(DebounceSeconds is >= 0 and <= 86_400, "debounce_seconds", "debounce_seconds must be between 0 and 86400.");
        Check(MaxWaitSeconds is >= 0 and <= 30 * 86_400, "max_wait_seconds", "max_wait_seconds must be between 0 and 2592000.");
        Check(EveryTurns is >= 0 and <= 100_000, "every_turns", "every_turns must be between 0 and 100000.");
        Check(TranscriptTokens is >= 0 and <= 100_000_000, "transcript_tokens", "transcript_tokens must be between 0 and 100000000.");
        Check(IdleSeconds is >= 0 and <= 30 * 86_400, "idle_seconds", "idle_seconds must be between 0 and 2592000.");
        Check(DailyTokenCap is null or >= 0, "daily_token_cap", "daily_token_cap must not be negative.");
        Check(Cron is null || cronProblem?.Invoke(Cron) is null, "cron", Cron is null ? "" : cronProblem?.Invoke(Cron) ?? "");
        Check(Enum.IsDefined(Variant), "variant", "variant must be general, math or partial_problem.");
        Check(Enum.IsDefined(Mode), "mode", "mode must be tools or plain_text.");
        Check(ReasoningEffort is null || Enum.IsDefined(ReasoningEffort.Value), "reasoning_effort", "reasoning_effort is unknown.");
        ToSleepOptions().Validate();
    }

    /// <summary>The sleep options of a run under this policy, within <paramref name="maxTotalTokens"/> when a budget applies.</summary>
    public SleepOptions ToSleepOptions(long? maxTotalTokens = null) => new()
    {
        BlockLimit = BlockLimit,
        Runs = Runs,
        Variant = Variant,
        Mode = Mode,
        ReasoningEffort = ReasoningEffort,
        MaxOutputTokens = MaxOutputTokens,
        MaxTotalTokens = maxTotalTokens,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static SchedulePolicy FromJson(string? json, SchedulePolicy defaults) =>
        string.IsNullOrWhiteSpace(json) ? defaults : JsonSerializer.Deserialize<SchedulePolicy>(json, Json) ?? defaults;

    private static void Check(bool ok, string field, string message)
    {
        if (!ok)
        {
            throw new SleepTimeValidationException(field, message);
        }
    }
}
