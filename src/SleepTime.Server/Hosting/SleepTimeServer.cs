using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Quartz;
using Scalar.AspNetCore;
using SleepTime.Providers;
using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>Builds and runs the SleepTime server: the HTTP API, the scheduler and storage, from configuration.</summary>
public static class SleepTimeServer
{
    public const string DefaultUrl = "http://127.0.0.1:5000";

    public static async Task<int> RunAsync(string[] args)
    {
        var app = Build(WebApplication.CreateBuilder(args));
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddSleepTimeServer(builder);
        var app = builder.Build();
        UseSleepTimeServer(app);
        return app;
    }

    public static void AddSleepTimeServer(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        if (string.IsNullOrEmpty(configuration["urls"]) && string.IsNullOrEmpty(configuration["ASPNETCORE_URLS"]) && string.IsNullOrEmpty(configuration["Urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        services.Configure<ServerOptions>(configuration.GetSection(ServerOptions.Section));
        services.Configure<SchedulingOptions>(configuration.GetSection(SchedulingOptions.Section));
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var scheduling = configuration.GetSection(SchedulingOptions.Section).Get<SchedulingOptions>() ?? new SchedulingOptions();
        if (scheduling.Clustered && storage.Provider != StorageProvider.Postgres)
        {
            throw new InvalidOperationException("SleepTime:Scheduling:Clustered needs PostgreSQL storage: a SQLite file serves one node. Set SleepTime:Storage:Provider=Postgres (or `serve --postgres`), or drop Clustered.");
        }
        var server = configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();

        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = server.MaxRequestBodyBytes);
        services.TryAddSingletonTimeProvider();
        services.AddSingleton(storage);
        services.AddSingleton(sp => new SleepTimeDatabase(sp.GetRequiredService<StorageOptions>()));
        services.AddSingleton(sp => new TenantStore(sp.GetRequiredService<SleepTimeDatabase>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new SleeperSchedules(sp.GetRequiredService<SleepTimeDatabase>()));
        services.AddSingleton(sp => new CodebaseContexts(sp.GetRequiredService<SleepTimeDatabase>()));
        services.AddSingleton(sp => new RunStore(sp.GetRequiredService<SleepTimeDatabase>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new QueryStore(sp.GetRequiredService<SleepTimeDatabase>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new UsageLedger(sp.GetRequiredService<SleepTimeDatabase>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<TenantStores>();
        services.AddSingleton<ApiKeyCache>();
        services.Configure<EventOptions>(configuration.GetSection(EventOptions.Section));
        services.AddSingleton(sp => new EventLog(sp.GetRequiredService<SleepTimeDatabase>()));
        services.AddSingleton<EventHub>();
        services.AddSingleton<RunCancellations>();
        services.AddSingleton<SleepTimeTelemetry>();
        services.AddSingleton<ModelClients>();
        services.AddSingleton<TriggerArmer>();
        services.AddSingleton<SleepScheduler>();
        services.AddSingleton<RunExecutor>();
        services.AddSingleton<QueryService>();
        services.AddCodebases(configuration);
        services.AddOpenAiFacade();
        services.AddSleepTimeMcp();
        services.AddSleepTimeConsole();
        services.AddSleepTimeModels(configuration);

        // Registered before Quartz's hosted service: the database is migrated before the scheduler touches it.
        services.AddSingleton<StartupRecovery>();
        services.AddHostedService<ServerStartup>();
        services.AddHostedService<EventRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<CodebaseWatcher>());
        services.Configure<AgentServerOptions>(configuration.GetSection(AgentServerOptions.Section));
        services.AddSingleton<SleepTimeModelResolver>();
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = "SleepTime";
                o.GenerateInstanceId = true;
            });
            q.UseDefaultThreadPool(Math.Max(1, scheduling.Concurrency));
            q.AddJobType<SleepJob>();
            if (SleepScheduler.KeepsTriggersInMemory(storage.Provider))
            {
                q.UseInMemoryStore();
            }
            else
            {
                q.UsePersistentStore(store =>
                {
                    store.UsePostgres(new SleepTimeDatabase(storage).ConnectionString);
                    if (scheduling.Clustered)
                    {
                        store.UseClustering(c =>
                        {
                            c.CheckinInterval = TimeSpan.FromSeconds(scheduling.ClusterCheckinSeconds);
                            c.CheckinMisfireThreshold = TimeSpan.FromSeconds(scheduling.ClusterCheckinSeconds * 3);
                        });
                    }

                    // Quartz 4 ships its schema for each database and creates what is missing (CREATE ... IF NOT EXISTS).
                    store.ProvisionSchema();
                    store.ConfigureStore(o => o.TablePrefix = "qrtz_");
                });
            }
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = false);

        services.AddProblemDetails(o => o.CustomizeProblemDetails = problem =>
        {
            if (problem.ProblemDetails.Detail is null && RequestReadProblem.ForBareStatus(problem.HttpContext.Response.StatusCode, problem.HttpContext.Request) is var (detail, field))
            {
                problem.ProblemDetails.Detail = detail;
                if (field is not null)
                {
                    problem.ProblemDetails.Extensions["field"] = field;
                }
            }
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.MaxDepth = 32;
            o.SerializerOptions.AllowDuplicateProperties = false;
        });

        // Bad bodies and parameters throw (in every environment) so ProblemExceptionHandler answers a problem that
        // says which field and why, instead of the framework's bare 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi(o => o.AddSchemaTransformer<ProblemDetailsSchema>());
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                var limits = http.RequestServices.GetRequiredService<IOptions<ServerOptions>>().Value;
                var caller = http.CallerOrNull();
                return caller is null || limits.RateLimitPerSecond <= 0
                    ? RateLimitPartition.GetNoLimiter("anonymous")
                    : RateLimitPartition.GetTokenBucketLimiter(caller.KeyHash, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = Math.Max(1, limits.RateLimitBurst),
                        TokensPerPeriod = limits.RateLimitPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    });
            });
            o.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Problems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests", $"This API key is over its rate limit; retry after {retryAfter} s.");
            };
        });
        var telemetry = services.AddOpenTelemetry()
            .WithTracing(t => t.AddSource(SleepTimeTelemetry.Name))
            .WithMetrics(m => m.AddMeter(SleepTimeTelemetry.Name));

        // The standard OTEL_EXPORTER_OTLP_* settings (environment or configuration) switch the exporter on.
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }
    }

    public static void UseSleepTimeServer(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestSizeMiddleware>();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseRateLimiter();

        app.MapOpenApi();
        app.MapScalarApiReference();
        app.MapHealth();
        var api = app.MapGroup("/api").WithProblemResponses();
        api.MapContexts();
        api.MapCodebases();
        api.MapLearnedContexts();
        api.MapRuns();
        api.MapQueries();
        api.MapUsage();
        api.MapOverview();
        api.MapEvents();
        api.MapAdmin();
        api.MapAgentsApi();
        app.MapOpenAi();
        app.MapSleepTimeMcp();
        app.MapSleepTimeConsole();
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
