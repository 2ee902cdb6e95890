using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using SleepTime.Storage;

namespace SleepTime.Server.Tests.Scheduling;

/// <summary>
/// A cron expression that parses but never fires (a date that does not exist, a year gone by) is bad input: 400 and
/// nothing stored. One already stored (it expired after it was set) never stops the server from starting.
/// </summary>
public sealed class NeverFiringCronTests : IDisposable
{
    private const string PastYear = "0 0 0 1 1 ? 2020";
    private const string February30 = "0 0 0 30 2 ?";

    private readonly string path = Path.Combine(Path.GetTempPath(), "sleeptime-server-tests", "cron-" + Guid.NewGuid().ToString("N") + ".db");

    public void Dispose()
    {
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*"))
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(PastYear)]
    [InlineData(February30)]
    public async Task Creating_a_context_with_a_cron_that_never_fires_is_a_400_and_creates_nothing(string cron)
    {
        await using var factory = Server();
        var client = factory.Client();

        var response = await client.PostAsJsonAsync("/api/contexts", new { id = "never", text = "hello", schedule = new { cron } }, ServerFactory.Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("never fires", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/contexts/never?entries=false")).StatusCode);
    }

    [Theory]
    [InlineData(PastYear)]
    [InlineData(February30)]
    public async Task Setting_a_cron_that_never_fires_is_a_400_and_leaves_the_schedule_as_it_was(string cron)
    {
        await using var factory = Server();
        var client = factory.Client();
        await client.PostOkAsync("/api/contexts", new { id = "kept", text = "hello", schedule = new { on_change = false, cron = "0 0 3 * * ?" } });

        var response = await client.PutAsJsonAsync("/api/contexts/kept/schedule", new { on_change = false, cron }, ServerFactory.Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var schedule = await client.GetOkAsync("/api/contexts/kept/schedule");
        Assert.Equal("0 0 3 * * ?", schedule.GetProperty("cron").GetString());
        var scheduler = await factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var trigger = Assert.IsAssignableFrom<ICronTrigger>(await scheduler.GetTrigger(CronKey("kept")));
        Assert.Equal("0 0 3 * * ?", trigger.CronExpressionString);
    }

    [Fact]
    public async Task A_stored_cron_that_no_longer_fires_does_not_stop_a_restart_and_the_other_triggers_are_armed_again()
    {
        await using (var first = Server())
        {
            var client = first.Client();
            await client.PostOkAsync("/api/contexts", new { id = "expired", text = "hello", schedule = new { on_change = false, cron = "0 0 3 * * ?" } });
            await client.PostOkAsync("/api/contexts", new { id = "impossible", text = "hello", schedule = new { on_change = false } });
            await client.PostOkAsync("/api/contexts", new { id = "nightly", text = "hello", schedule = new { on_change = false, cron = "0 0 4 * * ?" } });
            await client.PostOkAsync("/api/contexts", new { id = "quiet", text = "Ann has 3 apples.", schedule = new { on_change = false, idle_seconds = 600 } });

            // Valid when set, expired since (a pinned year that has passed), and one that was stored without validation.
            var store = new TenantContextStore(first.Services.GetRequiredService<SleepTimeDatabase>(), ServerStartup.DefaultTenant);
            Assert.True(await store.SetScheduleAsync("expired", new SchedulePolicy { OnChange = false, Cron = PastYear }.ToJson()));
            Assert.True(await store.SetScheduleAsync("impossible", new SchedulePolicy { OnChange = false, Cron = February30 }.ToJson()));
        }

        await using var second = Server();
        var restarted = second.Client();
        Assert.Equal(HttpStatusCode.OK, (await restarted.GetAsync("/health")).StatusCode);

        var scheduler = await second.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var nightly = Assert.IsAssignableFrom<ICronTrigger>(await scheduler.GetTrigger(CronKey("nightly")));
        Assert.Equal("0 0 4 * * ?", nightly.CronExpressionString);
        Assert.NotNull(await scheduler.GetTrigger(SleepScheduler.TriggerKeyFor(ServerStartup.DefaultTenant, SleeperKind.Context, "quiet", TriggerKinds.Idle)));
        Assert.Null(await scheduler.GetTrigger(CronKey("expired")));
        Assert.Null(await scheduler.GetTrigger(CronKey("impossible")));

        // The server works on: the bad context can be given a schedule that fires.
        await restarted.PutAsJsonAsync("/api/contexts/expired/schedule", new { on_change = false, cron = "0 0 5 * * ?" }, ServerFactory.Json);
        var fixedTrigger = Assert.IsAssignableFrom<ICronTrigger>(await scheduler.GetTrigger(CronKey("expired")));
        Assert.Equal("0 0 5 * * ?", fixedTrigger.CronExpressionString);
    }

    private static TriggerKey CronKey(string contextId) => SleepScheduler.TriggerKeyFor(ServerStartup.DefaultTenant, SleeperKind.Context, contextId, TriggerKinds.Cron);

    private ServerFactory Server() => new(settings: new Dictionary<string, string?> { ["SleepTime:Storage:SqlitePath"] = path });
}
