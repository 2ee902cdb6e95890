using System.Text.Json;
using SleepTime.Server;

namespace SleepTime.Client.Tests;

public sealed class WireFormatTests
{
    [Fact]
    public void A_schedule_policy_with_some_fields_keeps_the_defaults_of_the_others()
    {
        var policy = JsonSerializer.Deserialize<SchedulePolicy>("""{"on_change": false, "every_turns": 3}""", SleepTimeJson.Options)!;

        Assert.Equal(new SchedulePolicy { OnChange = false, EveryTurns = 3 }, policy);
        Assert.Equal((1, 8_000, 5.0), (policy.Runs, policy.BlockLimit, policy.DebounceSeconds));
    }

    [Fact]
    public void Records_nested_in_views_are_written_in_snake_case_with_enums_as_snake_case_strings()
    {
        var view = new ContextView("c", "document", 2, 1, 10, 0, 1, null, new SchedulePolicy { Variant = SleepPromptVariant.PartialProblem }, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

        var json = JsonSerializer.SerializeToElement(view, SleepTimeJson.Options);

        Assert.Equal(2, json.GetProperty("version").GetInt64());
        Assert.Equal("partial_problem", json.GetProperty("schedule").GetProperty("variant").GetString());
        Assert.Equal(1, json.GetProperty("schedule").GetProperty("runs").GetInt32());
        Assert.False(json.TryGetProperty("learned_version", out _));
        Assert.Equal(view, json.Deserialize<ContextView>(SleepTimeJson.Options));
    }
}
