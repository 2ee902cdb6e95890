using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using SleepTime.Server;
using SleepTime.Storage;
using SleepTime.Testing;

namespace SleepTime.Console.Tests;

/// <summary>
/// The real server in this process on a free loopback port (Kestrel: a browser needs a real port), on its own SQLite
/// file, with scripted models: a context's sleep rethinks once and finishes with a memory naming the input's length
/// (so versions differ), held while <see cref="SleepModel"/> is held; a sleep-time agent inserts
/// <see cref="AgentFact"/> into its <c>human</c> block; the test model answers "The answer is 42.".
/// </summary>
public sealed class ConsoleServer : IAsyncDisposable
{
    public const string AdminKey = "st_console_test_admin_key";
    public const string AgentFact = "Prefers mornings";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly LoopbackServer server;

    private ConsoleServer(LoopbackServer server, HeldChatClient sleepModel)
    {
        this.server = server;
        SleepModel = sleepModel;
        Url = server.Url.ToString().TrimEnd('/');
    }

    public string Url { get; }

    /// <summary>The sleep model; <see cref="HeldChatClient.Hold"/> keeps context sleeps waiting until released.</summary>
    public HeldChatClient SleepModel { get; }

    public IServiceProvider Services => server.Services;

    public static async Task<ConsoleServer> StartAsync()
    {
        var sleep = new HeldChatClient(new ScriptedChatClient(call => IsAgentSleep(call.Options)
            ? call.ToolResults.Count > 0 ? ScriptedReply.ToolCalls(("memory_finish_edits", null)) : ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = AgentFact }))
            : ScriptedReply.RethinkAndFinish("Learned: y = 6. Input length " + call.LastUserText.Length)));
        var server = await LoopbackServer.StartAsync(AdminKey, sleep, new InstantChatClient(), new Dictionary<string, string?> { ["SleepTime:Server:RateLimitPerSecond"] = "0" });
        return new ConsoleServer(server, sleep);
    }

    internal static bool IsAgentSleep(ChatOptions? options) => options?.Tools?.Any(t => t.Name == "memory_insert") == true;

    public HttpClient Client(string key = AdminKey)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A new tenant; returns its first API key.</summary>
    public async Task<string> CreateTenantAsync(string tenantId)
    {
        using var client = Client();
        var created = await PostOkAsync(client, "/api/tenants", new { id = tenantId, name = tenantId });
        return created.GetProperty("api_key").GetString()!;
    }

    public static async Task<JsonElement> PostOkAsync(HttpClient client, string url, object body)
    {
        using var response = await client.PostAsJsonAsync(url, body, Json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {url}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> GetOkAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Polls a run until it is final (a generous bound: the machine may be loaded).</summary>
    public static async Task<JsonElement> WaitForFinalRunAsync(HttpClient client, string url)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var run = await GetOkAsync(client, url);
            if (run.GetProperty("status").GetString() is not ("queued" or "running"))
            {
                return run;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{url} is still live: {run}");
            await Task.Delay(50);
        }
    }

    public RunStore Runs => server.Services.GetRequiredService<RunStore>();

    public async ValueTask DisposeAsync()
    {
        SleepModel.Release();
        await server.DisposeAsync();
    }
}
