using System.Text.Json;
using System.Text.Json.Serialization;

namespace SleepTime.Server;

/// <summary>
/// When one context sleeps. Every trigger lands in the context's single queued run, so however many fire, one
/// run follows.
/// </summary>
public sealed record SchedulePolicy
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Sleep after the context changes and then stays unchanged for <see cref="DebounceSeconds"/>.</summary>
    public bool OnChange { get; init; } = true;

    public double DebounceSeconds { get; init; } = 5;

    /// <summary>For conversations: sleep once this many new turns arrived (0: off). When set, it replaces <see cref="OnChange"/>.</summary>
    public int EveryTurns { get; init; }

    /// <summary>Sleep after the context has been idle this long (0: off).</summary>
    public double IdleSeconds { get; init; }

    /// <summary>A Quartz cron expression (seconds first), e.g. <c>0 0 3 * * ?</c>; sleeps when the context changed since.</summary>
    public string? Cron { get; init; }

    /// <summary>Most sleep tokens this context may spend per UTC day; a run over it is skipped.</summary>
    public long? DailyTokenCap { get; init; }

    /// <summary>Character limit of each learned block.</summary>
    public int BlockLimit { get; init; } = 8_000;

    /// <summary>k: independent sleep runs concatenated into the learned context.</summary>
    public int Runs { get; init; } = 1;

    [JsonIgnore]
    public TimeSpan Debounce => TimeSpan.FromSeconds(DebounceSeconds);

    public void Validate()
    {
        Check(DebounceSeconds is >= 0 and <= 86_400, "debounce_seconds", "debounce_seconds must be between 0 and 86400.");
        Check(EveryTurns is >= 0 and <= 100_000, "every_turns", "every_turns must be between 0 and 100000.");
        Check(IdleSeconds is >= 0 and <= 30 * 86_400, "idle_seconds", "idle_seconds must be between 0 and 2592000.");
        Check(DailyTokenCap is null or >= 0, "daily_token_cap", "daily_token_cap must not be negative.");
        Check(Cron is null || Quartz.CronExpression.TryParse(Cron, out _), "cron", $"'{Cron}' is not a valid cron expression (Quartz syntax, seconds first).");
        Check(Cron is null || FiresAfter(Cron, DateTimeOffset.UtcNow), "cron", $"The cron expression '{Cron}' never fires again (e.g. a date that does not exist or a year in the past).");
        new SleepOptions { BlockLimit = BlockLimit, Runs = Runs }.Validate();
    }

    /// <summary>Whether the cron expression has a fire time after <paramref name="instant"/>; Quartz refuses to schedule one that has none.</summary>
    public static bool FiresAfter(string cron, DateTimeOffset instant) =>
        Quartz.CronExpression.TryParse(cron, out _) && new Quartz.CronExpression(cron).GetNextValidTimeAfter(instant) is not null;

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
