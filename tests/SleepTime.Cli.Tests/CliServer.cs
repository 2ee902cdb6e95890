using System.Net.Http.Headers;
using System.Text.Json;
using SleepTime.Testing;

namespace SleepTime.Cli.Tests;

/// <summary>
/// The real server in this process on a free loopback port (Kestrel, real HTTP), on its own SQLite file, with scripted
/// models: the sleep model rethinks once and finishes with a memory that names the input's length (so each version
/// differs), the test model answers "The answer is 42.". The CLI's commands run against it in-process.
/// </summary>
public sealed class CliServer : IAsyncDisposable
{
    public const string AdminKey = "st_cli_test_admin_key";

    private readonly LoopbackServer server;

    private CliServer(LoopbackServer server)
    {
        this.server = server;
        Url = server.Url.ToString().TrimEnd('/');
    }

    public string Url { get; }

    public static async Task<CliServer> StartAsync() =>
        new(await LoopbackServer.StartAsync(
            AdminKey,
            new ScriptedChatClient(call => ScriptedReply.RethinkAndFinish("Learned: y = 6. " + call.LastUserText.Length)),
            new InstantChatClient()));

    /// <summary>Runs <c>sleeptime</c> with <paramref name="args"/> against this server, capturing what it prints.</summary>
    public Task<CliRun> RunAsync(params string[] args) => CliRun.InvokeAsync([.. args, "--server", Url, "--key", AdminKey]);

    /// <summary>The command's printed JSON, parsed (after a successful run).</summary>
    public async Task<JsonElement> JsonAsync(params string[] args)
    {
        var run = await RunAsync(args);
        Assert.True(run.Exit == 0, $"sleeptime {string.Join(' ', args)} exited {run.Exit}: {run.Error}");
        return JsonDocument.Parse(run.Output).RootElement.Clone();
    }

    public HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    /// <summary>Waits until the context's learned context has reached <paramref name="version"/>.</summary>
    public async Task WaitForLearnedVersionAsync(string contextId, long version)
    {
        using var client = Client();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var context = JsonDocument.Parse(await client.GetStringAsync($"api/contexts/{contextId}?entries=false")).RootElement;
            if (context.GetProperty("learned_version") is { ValueKind: JsonValueKind.Number } learned && learned.GetInt64() >= version)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Context {contextId} did not reach learned version {version}: {context}");
            await Task.Delay(50);
        }
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
