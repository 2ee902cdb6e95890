using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace SleepTime.Server.Tests.Scheduling;

/// <summary>The batching in front of Quartz, against a real (in-memory) Quartz scheduler.</summary>
public sealed class TriggerArmerTests : IAsyncLifetime
{
    private readonly DateTimeOffset now = DateTimeOffset.UtcNow;
    private ServiceProvider services = null!;
    private IScheduler scheduler = null!;
    private TriggerArmer armer = null!;

    public async Task InitializeAsync()
    {
        // Built the way the server builds it, with Quartz's default in-memory store.
        services = new ServiceCollection().AddLogging().AddQuartz(q => q.ConfigureScheduler(o => o.InstanceName = "armer-" + Guid.NewGuid().ToString("N"))).BuildServiceProvider();
        var factory = services.GetRequiredService<ISchedulerFactory>();
        scheduler = await factory.GetScheduler();
        armer = new TriggerArmer(factory);
    }

    public async Task DisposeAsync()
    {
        await armer.DisposeAsync();
        await scheduler.Shutdown();
        await services.DisposeAsync();
    }

    [Fact]
    public async Task Concurrent_arms_are_all_stored_and_each_caller_waits_for_its_own()
    {
        var arms = Enumerable.Range(0, 200).Select(i => armer.ArmAsync(Job($"ctx{i}"), Trigger($"ctx{i}", "run", now.AddMinutes(i + 1))));

        await Task.WhenAll(arms);

        for (var i = 0; i < 200; i += 37)
        {
            var trigger = await scheduler.GetTrigger(new TriggerKey($"ctx{i}#run", "tenant"));
            Assert.Equal(now.AddMinutes(i + 1), trigger!.StartTimeUtc);
            Assert.True(await scheduler.Exists(new JobKey($"ctx{i}", "tenant")));
        }
    }

    [Fact]
    public async Task The_latest_arming_of_a_trigger_wins()
    {
        var arms = Enumerable.Range(1, 50).Select(i => armer.ArmAsync(Job("same"), Trigger("same", "run", now.AddMinutes(i)))).ToList();
        await Task.WhenAll(arms);

        var trigger = await scheduler.GetTrigger(new TriggerKey("same#run", "tenant"));
        Assert.Equal(now.AddMinutes(50), trigger!.StartTimeUtc);
    }

    [Fact]
    public async Task A_job_keeps_its_other_triggers_when_one_is_armed()
    {
        await armer.ArmAsync(Job("both"), Trigger("both", "idle", now.AddHours(1)));
        await armer.ArmAsync(Job("both"), Trigger("both", "run", now.AddMinutes(1)));

        var triggers = await scheduler.GetTriggersOfJob(new JobKey("both", "tenant"));
        Assert.Equal(["both#idle", "both#run"], triggers.Select(t => t.Key.Name).Order());
    }

    [Fact]
    public async Task A_request_quartz_rejects_fails_alone()
    {
        var unknownCalendar = TriggerBuilder.Create().WithIdentity("bad#run", "tenant").ForJob(new JobKey("bad", "tenant")).WithCalendarName("no-such-calendar").StartAt(now).Build();
        var arms = Enumerable.Range(0, 20).Select(i => armer.ArmAsync(Job($"ok{i}"), Trigger($"ok{i}", "run", now.AddMinutes(1)))).ToList();
        var bad = armer.ArmAsync(Job("bad"), unknownCalendar);

        await Assert.ThrowsAnyAsync<SchedulerException>(() => bad);
        await Task.WhenAll(arms);
        Assert.NotNull(await scheduler.GetTrigger(new TriggerKey("ok19#run", "tenant")));
    }

    private static IJobDetail Job(string context) =>
        JobBuilder.Create<NoOpJob>().WithIdentity(context, "tenant").StoreDurably().Build();

    private static ITrigger Trigger(string context, string kind, DateTimeOffset at) =>
        TriggerBuilder.Create().WithIdentity($"{context}#{kind}", "tenant").ForJob(new JobKey(context, "tenant")).StartAt(at).Build();

    private sealed class NoOpJob : IJob
    {
        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
