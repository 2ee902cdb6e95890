using System.CommandLine;
using System.Text.Json.Nodes;

namespace SleepTime.Cli.Commands;

/// <summary>One option per schedule-policy field, named after its JSON field (<c>every_turns</c> is <c>--every-turns</c>).</summary>
internal sealed record ScheduleFields(string Name, Option Option, Func<ParseResult, JsonNode?> Value)
{
    public static IReadOnlyList<ScheduleFields> Create() =>
    [
        Of<bool?>("on_change", "Sleep once the sources changed and then stayed unchanged for debounce_seconds (true or false)."),
        Of<double?>("debounce_seconds", "Quiet time after a change before sleeping, 0-86400."),
        Of<double?>("max_wait_seconds", "Under continuous changes, sleep at the latest this long after the oldest unread change (0: no bound)."),
        Of<int?>("every_turns", "Sleep after N unread user turns (0: off); when set it replaces on_change."),
        Of<int?>("transcript_tokens", "Sleep after N unread transcript tokens (0: off)."),
        Of<double?>("idle_seconds", "Sleep once the sources were quiet this long after a change (0: off)."),
        Of<string?>("cron", "Quartz cron, seconds first, such as '0 0 3 * * ?' (--unset cron to remove)."),
        Of<long?>("daily_token_cap", "Sleep tokens per UTC day for this context."),
        Of<string?>("variant", "Sleep instructions: general, math or partial_problem."),
        Of<string?>("mode", "tools (the rethink_memory loop) or plain_text."),
        Of<string?>("reasoning_effort", "none, low, medium, high or extra_high."),
        Of<int?>("runs", "k independent sleep runs concatenated into the learned context."),
        Of<int?>("block_limit", "Characters per learned block."),
        Of<int?>("max_output_tokens", "Most output tokens per model call."),
    ];

    private static ScheduleFields Of<T>(string name, string description)
    {
        var option = new Option<T>("--" + name.Replace('_', '-')) { Description = description };
        return new ScheduleFields(name, option, p => Node(p.GetValue(option)));
    }

    private static JsonNode? Node(object? value) => value switch
    {
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        string s => JsonValue.Create(s),
        _ => null,
    };
}
