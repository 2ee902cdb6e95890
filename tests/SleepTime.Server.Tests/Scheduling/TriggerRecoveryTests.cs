using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace SleepTime.Server.Tests.Scheduling;

/// <summary>
/// On SQLite, Quartz keeps its triggers in memory; everything it held must come back from the database after a
/// restart.
/// </summary>
public sealed class TriggerRecoveryTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), "sleeptime-server-tests", "recovery-" + Guid.NewGuid().ToString("N") + ".db");

    public void Dispose()
    {
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*"))
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task An_idle_trigger_pending_at_shutdown_still_fires_after_a_restart()
    {
        await using (var first = Server())
        {
            await first.Client().PostOkAsync("/api/contexts", new
            {
                id = "quiet",
                kind = "document",
                text = "Ann has 3 apples.",
                schedule = new { on_change = false, idle_seconds = 1 },
            });
        }

        await using var second = Server();
        var runs = await second.Client().WaitForIdleAsync("quiet");

        var run = Assert.Single(runs);
        Assert.Equal("idle", run.GetProperty("trigger").GetString());
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_cron_schedule_is_armed_again_after_a_restart()
    {
        await using (var first = Server())
        {
            await first.Client().PostOkAsync("/api/contexts", new
            {
                id = "nightly",
                kind = "document",
                text = "Ann has 3 apples.",
                schedule = new { on_change = false, cron = "0 0 3 * * ?" },
            });
        }

        await using var second = Server();
        second.Client();
        var scheduler = await second.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        var trigger = await scheduler.GetTrigger(SleepScheduler.TriggerKeyFor(ServerStartup.DefaultTenant, SleeperKind.Context, "nightly", TriggerKinds.Cron));
        var cron = Assert.IsAssignableFrom<ICronTrigger>(trigger);
        Assert.Equal("0 0 3 * * ?", cron.CronExpressionString);
    }

    private ServerFactory Server() => new(settings: new Dictionary<string, string?> { ["SleepTime:Storage:SqlitePath"] = path });
}
