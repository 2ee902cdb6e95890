using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SleepTime.Providers;
using SleepTime.Server;

namespace SleepTime.Testing;

/// <summary>
/// The real server in this process on a free loopback port (Kestrel, real HTTP: what a browser or a separate client
/// needs), on its own SQLite file, with the given sleep and test models (a null one is left to the configuration's
/// providers, as <c>sleeptime serve</c> resolves it). Sleeps start at once on a change (no debounce)
/// and retries back off briefly, unless <c>settings</c> say otherwise. Disposing stops it and deletes the file.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly string databasePath;

    private LoopbackServer(WebApplication app, string databasePath, string adminKey)
    {
        this.app = app;
        this.databasePath = databasePath;
        AdminKey = adminKey;
        Url = new Uri(app.Urls.First());
    }

    public Uri Url { get; }

    public string AdminKey { get; }

    public IServiceProvider Services => app.Services;

    /// <param name="databasePath">An existing SQLite file to serve (such as one a benchmark seeded); default: a new temporary file.</param>
    public static async Task<LoopbackServer> StartAsync(string adminKey, IChatClient? sleepModel, IChatClient? testModel, IReadOnlyDictionary<string, string?>? settings = null, string? databasePath = null)
    {
        var path = databasePath ?? Path.Combine(Path.GetTempPath(), "sleeptime-loopback-servers", Guid.NewGuid().ToString("N") + ".db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        var configuration = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["SleepTime:Storage:SqlitePath"] = path,
            ["SleepTime:Server:AdminKey"] = adminKey,
            ["SleepTime:Scheduling:Defaults:DebounceSeconds"] = "0",
            ["SleepTime:Scheduling:RetryBaseDelaySeconds"] = "0.05",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        SleepTimeServer.AddSleepTimeServer(builder);
        if (sleepModel is not null)
        {
            builder.Services.AddKeyedSingleton(ModelRoles.Sleep, sleepModel);
        }

        if (testModel is not null)
        {
            builder.Services.AddKeyedSingleton(ModelRoles.Test, testModel);
        }
        var app = builder.Build();
        SleepTimeServer.UseSleepTimeServer(app);
        await app.StartAsync().ConfigureAwait(false);
        return new LoopbackServer(app, path, adminKey);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        foreach (var file in new[] { databasePath, databasePath + "-wal", databasePath + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
            }
        }
    }
}
