using SleepTime.Testing;

namespace SleepTime.Server.Tests.Pipeline;

/// <summary>
/// The idle trigger on the real clock (a 2 s period, real Quartz, real SQLite): every quiet period after a change fires
/// exactly one run, and a change during the quiet period starts it over. Each period has two writes a little apart;
/// the run of a period must have read both (so it did not fire after the first) and nothing of the period before
/// (so the period before fired on its own).
/// </summary>
public sealed class IdleTriggerTests
{
    private const int Periods = 6;

    // The idle period is well above the gap plus an agent turn on a loaded machine: the first write of a period must
    // never have been quiet for a whole period when the second is sent, or its idle trigger fires first.
    internal const int IdleSeconds = 2;
    internal static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task Every_idle_period_of_a_sleep_time_agent_fires_one_run_and_a_turn_restarts_the_period()
    {
        var sleep = new ScriptedChatClient(_ => SleepModels.Finish());
        await using var factory = new ServerFactory(sleepModel: sleep, testModel: SleepModels.Primary());
        var client = factory.Client();
        var (agentId, _) = await client.CreateAgentAsync();
        await client.CreateSleeperAsync(agentId, new { name = "idle", every_turns = 0, idle_after_seconds = IdleSeconds });

        for (var period = 1; period <= Periods; period++)
        {
            await client.SendAsync(agentId, $"period {period} first");
            await Task.Delay(Gap);
            var quietFrom = DateTimeOffset.UtcNow;
            await client.SendAsync(agentId, $"period {period} second");
            var fired = (await client.WaitForAgentRunsAsync(agentId, period, TriggerKinds.Idle))[^1];
            AssertFiredAfterQuiet(fired, quietFrom);
        }

        var runs = await client.WaitForAgentRunsAsync(agentId, Periods, TriggerKinds.Idle);
        Assert.Equal(Periods, runs.Length);
        Assert.All(runs, r => Assert.Equal("succeeded", r.Status()));
        var inputs = sleep.RunInputs();
        Assert.Equal(Periods, inputs.Length);
        for (var period = 1; period <= Periods; period++)
        {
            var input = inputs[period - 1];
            Assert.Contains($"period {period} first", input);
            Assert.Contains($"period {period} second", input);
            Assert.DoesNotContain($"period {period - 1} ", input);
        }

        // Each run read from where the one before it moved the watermark.
        for (var i = 1; i < runs.Length; i++)
        {
            Assert.Equal(runs[i - 1].GetProperty("read_to").GetRawText(), runs[i].GetProperty("read_from").GetRawText());
        }
    }

    /// <summary>
    /// The idle run was queued when its trigger fired: no sooner than the idle period after the period's last write
    /// (a small allowance for timer granularity), so the second write restarted the period.
    /// </summary>
    internal static void AssertFiredAfterQuiet(System.Text.Json.JsonElement run, DateTimeOffset lastWriteSent)
    {
        var queuedAt = run.GetProperty("queued_at").GetDateTimeOffset();
        Assert.True(queuedAt >= lastWriteSent + TimeSpan.FromSeconds(IdleSeconds) - TimeSpan.FromMilliseconds(100), $"the idle run fired at {queuedAt:O}, less than {IdleSeconds} s after the last write at {lastWriteSent:O}");
    }
}

/// <summary>The same for a context with an idle-only schedule, appended to repeatedly (its own class, so the two run in parallel).</summary>
public sealed class ContextIdleTriggerTests
{
    private const int Periods = 6;
    private static readonly TimeSpan Gap = IdleTriggerTests.Gap;

    [Fact]
    public async Task Every_idle_period_of_a_context_fires_one_run_and_an_append_restarts_the_period()
    {
        await using var factory = new ServerFactory();
        var client = factory.Client();
        var versions = new List<long>();
        for (var period = 1; period <= Periods; period++)
        {
            var first = period == 1
                ? await client.PostOkAsync("/api/contexts", new { id = "quiet", kind = "document", text = "period 1 first", schedule = new { on_change = false, idle_seconds = IdleTriggerTests.IdleSeconds } })
                : await client.PostOkAsync("/api/contexts/quiet/append", new { text = $"period {period} first" });
            await Task.Delay(Gap);
            var quietFrom = DateTimeOffset.UtcNow;
            var second = await client.PostOkAsync("/api/contexts/quiet/append", new { text = $"period {period} second" });
            Assert.True(second.GetProperty("version").GetInt64() > first.GetProperty("version").GetInt64());
            versions.Add(second.GetProperty("version").GetInt64());
            var fired = (await client.WaitForContextRunsAsync("quiet", period, TriggerKinds.Idle))[^1];
            IdleTriggerTests.AssertFiredAfterQuiet(fired, quietFrom);
        }

        var runs = await client.WaitForContextRunsAsync("quiet", Periods, TriggerKinds.Idle);
        Assert.Equal(Periods, runs.Length);
        Assert.All(runs, r => Assert.Equal("succeeded", r.Status()));
        // The run of each period read the context as of the period's second write: not earlier, not merged with the next period.
        Assert.Equal(versions, runs.Select(r => r.GetProperty("context_version").GetInt64()));
        var learned = await client.GetOkAsync("/api/contexts/quiet/learned");
        Assert.Equal(Periods, learned.GetProperty("version").GetInt64());
    }
}
