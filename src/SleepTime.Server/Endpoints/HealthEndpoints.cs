using Dapper;
using Quartz;
using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>
/// /health: the process is up. /ready: the database answers and the scheduler runs. Both are unauthenticated, so they
/// say what is wrong in a word and log the details, never echo them.
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => TypedResults.Ok(new HealthView("ok"))).WithTags("Health").WithName("Health");
        app.MapGet("/ready", async (SleepTimeDatabase database, ISchedulerFactory schedulers, ModelClients models, StartupRecovery recovery, ILogger<SleepTimeDatabase> logger, CancellationToken ct) =>
        {
            try
            {
                await using var connection = await database.OpenAsync(ct);
                await connection.ExecuteScalarAsync<long>("SELECT 1");
                var scheduler = await schedulers.GetScheduler(ct);
                var started = scheduler.Status == SchedulerStatus.Running && recovery.Done;
                var body = new ReadyView(
                    started ? "ready" : "starting",
                    database.Provider.ToString().ToLowerInvariant(),
                    scheduler.Status.ToString(),
                    models.SleepProblem is not null ? "missing" : models.SleepOnFallback ? "fallback" : "configured",
                    models.TestProblem is not null ? "missing" : models.TestOnFallback ? "fallback" : "configured");
                return started ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Readiness check failed.");
                return Problems.Result(StatusCodes.Status503ServiceUnavailable, "Not ready", "The database or the scheduler is not available; see the server log.");
            }
        }).WithTags("Health").WithName("Ready")
            .Produces<ReadyView>()
            .Produces<ReadyView>(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status500InternalServerError);
        return app;
    }
}
