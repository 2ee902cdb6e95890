using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>
/// Start-up work, ordered around the scheduler: migrate the database and make sure the default tenant and a configured
/// admin key exist before Quartz starts (its own tables are provisioned by Quartz); once the server listens, generate
/// and print an admin key when there is none, and re-arm every live run of every sleeper,
/// so runs queued or interrupted before a crash or a stop are picked up, queue the runs a crash may have lost between a
/// write and its trigger, and, where Quartz keeps its triggers in memory, re-arm every cron and pending idle trigger.
/// </summary>
public sealed class ServerStartup(
    SleepTimeDatabase database,
    TenantStore tenants,
    RunStore runs,
    IServiceProvider services,
    SleepTimeTelemetry telemetry,
    ModelClients models,
    IOptions<ServerOptions> options,
    TimeProvider time,
    StartupRecovery recovery,
    ILogger<ServerStartup> logger) : IHostedLifecycleService
{
    public const string DefaultTenant = "default";

    private readonly CancellationTokenSource stopping = new();
    private Task? queueWatcher;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var applied = await Migrator.MigrateAsync(database, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Storage: {Provider} {Where}; migrations applied now: {Applied}.",
            database.Provider, database.SqlitePath ?? "(PostgreSQL)", applied.Count == 0 ? "none" : string.Join(", ", applied));
        await EnsureAdminKeyAsync(cancellationToken).ConfigureAwait(false);
        if (models.SleepProblem is { } sleepProblem)
        {
            logger.LogWarning("{Problem} Sleep runs will fail with this reason until one is configured.", sleepProblem);
        }

        if (models.TestProblem is { } testProblem)
        {
            logger.LogWarning("{Problem} Queries will answer 503 until one is configured.", testProblem);
        }

        if (models.FallbackNotice is { } notice)
        {
            logger.LogWarning("{Notice}", notice);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        // Only now, with the port bound: a start that fails before it listens has generated nothing that could be lost.
        await PrintGeneratedAdminKeyAsync(cancellationToken).ConfigureAwait(false);
        var scheduler = services.GetRequiredService<SleepScheduler>();
        var timeTriggers = SleepScheduler.KeepsTriggersInMemory(database.Provider);
        var armed = await scheduler.RearmAsync(services.GetRequiredService<SleeperSchedules>(), timeTriggers, cancellationToken).ConfigureAwait(false);
        if (armed > 0)
        {
            logger.LogInformation("Re-armed {Triggers} live runs and triggers.", armed);
        }

        recovery.MarkDone();

        queueWatcher = WatchQueueAsync(stopping.Token);
    }

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        stopping.Cancel();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (queueWatcher is not null)
        {
            await queueWatcher.ConfigureAwait(false);
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task EnsureAdminKeyAsync(CancellationToken cancellationToken)
    {
        if (await tenants.GetTenantAsync(DefaultTenant, cancellationToken).ConfigureAwait(false) is null)
        {
            try
            {
                await tenants.CreateTenantAsync(DefaultTenant, "Default tenant", cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (SleepTimeValidationException)
            {
                // Another node created it first.
            }
        }

        var configured = options.Value.AdminKey;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (await tenants.FindKeyAsync(configured, cancellationToken).ConfigureAwait(false) is null)
            {
                await tenants.CreateKeyAsync(DefaultTenant, "bootstrap admin (configuration)", isAdmin: true, key: configured, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// With no configured admin key and none stored, generates one and prints it once to the console, after the line
    /// saying where the server listens; never logged: it is not stored anywhere in clear.
    /// </summary>
    private async Task PrintGeneratedAdminKeyAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(options.Value.AdminKey) || await tenants.AnyAdminKeyAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var (key, _) = await tenants.CreateKeyAsync(DefaultTenant, "bootstrap admin (generated)", isAdmin: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        Console.WriteLine(addresses.Count == 0 ? "SleepTime is listening." : $"SleepTime is listening on {string.Join(", ", addresses)}.");
        Console.WriteLine($"SleepTime admin API key (shown only now, keep it): {key}");
    }

    private async Task WatchQueueAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                telemetry.SetQueueDepth(await runs.CountLiveAsync(cancellationToken).ConfigureAwait(false));
                await Task.Delay(TimeSpan.FromSeconds(5), time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogDebug(ex, "Could not read the run queue depth.");
            }
        }
    }
}
