using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SleepTime.Server;

namespace SleepTime.FacadeBenchmarks;

/// <summary>
/// The real server (the code <c>sleeptime serve</c> runs) on Kestrel at 127.0.0.1 and a free port, on a fresh SQLite
/// file, whose test model is configured like any OpenAI-compatible endpoint: the provider stack, over HTTP.
/// </summary>
internal sealed class FacadeHost : IAsyncDisposable
{
    public const string AdminKey = "st_facade_benchmark_key";

    private readonly WebApplication app;
    private readonly string dataFile;

    private FacadeHost(WebApplication app, string dataFile, Uri baseUrl)
    {
        this.app = app;
        this.dataFile = dataFile;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public static async Task<FacadeHost> StartAsync(Uri modelBaseUrl)
    {
        var dataFile = Path.Combine(Path.GetTempPath(), "sleeptime-facade-benchmark-" + Guid.NewGuid().ToString("N") + ".db");
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["SleepTime:Storage:SqlitePath"] = dataFile,
            ["SleepTime:Server:AdminKey"] = AdminKey,
            ["SleepTime:Server:RateLimitPerSecond"] = "1000000",
            ["SleepTime:Server:RateLimitBurst"] = "1000000",
            ["SleepTime:Models:Sleep:Provider"] = "OpenAICompatible",
            ["SleepTime:Models:Sleep:Endpoint"] = modelBaseUrl.ToString(),
            ["SleepTime:Models:Sleep:Model"] = "fake-model",
            ["SleepTime:Models:Sleep:MaxRetries"] = "0",
        });
        var app = SleepTimeServer.Build(builder);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FacadeHost(app, dataFile, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        foreach (var file in new[] { dataFile, dataFile + "-wal", dataFile + "-shm" })
        {
            File.Delete(file);
        }
    }
}
