using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SleepTime.Server;
using SleepTime.Testing;

namespace SleepTime.ServerBenchmarks;

/// <summary>
/// The child process side (<c>host</c>): the real SleepTime server on SQLite, bound to 127.0.0.1, with instant
/// in-process models registered as the keyed "sleep" and "test" <see cref="IChatClient"/> services.
/// </summary>
public static class BenchmarkHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        SleepTimeServer.AddSleepTimeServer(builder);
        builder.Services.AddKeyedSingleton<IChatClient>("sleep", new InstantSleepModel());
        builder.Services.AddKeyedSingleton<IChatClient>("test", new InstantChatClient());
        var app = builder.Build();
        SleepTimeServer.UseSleepTimeServer(app);
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }
}
