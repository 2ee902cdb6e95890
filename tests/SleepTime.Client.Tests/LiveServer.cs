using Microsoft.Extensions.AI;
using SleepTime.Client;
using SleepTime.Server;
using SleepTime.Testing;

namespace SleepTime.Client.Tests;

/// <summary>
/// The real server in this process on a free loopback port (Kestrel, real HTTP), on its own SQLite file, with scripted
/// models. The default sleep model serves both kinds of sleeper: with the agent memory tools it inserts one line and
/// finishes; otherwise it rethinks a context into a memory that names the input's length (so each version differs).
/// The test model answers "The answer is 42.". Shared (as a linked file) by the tests and benchmarks that need a server.
/// </summary>
public sealed class LiveServer : IAsyncDisposable
{
    public const string AdminKey = "st_client_test_admin_key";

    private readonly LoopbackServer server;

    private LiveServer(LoopbackServer server) => this.server = server;

    public Uri Url => server.Url;

    public IServiceProvider Services => server.Services;

    public static async Task<LiveServer> StartAsync(IChatClient? sleepModel = null, IChatClient? testModel = null, Dictionary<string, string?>? settings = null) =>
        new(await LoopbackServer.StartAsync(AdminKey, sleepModel ?? DefaultSleepModel(), testModel ?? new InstantChatClient(), settings));

    public static ScriptedChatClient DefaultSleepModel() => new(call =>
        call.Options?.Tools?.Any(t => t.Name == "memory_insert") == true
            ? call.ToolResults.Count > 0
                ? ScriptedReply.ToolCalls(("memory_finish_edits", null))
                : ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = "Slept on: " + call.LastUserText.Length }))
            : ScriptedReply.RethinkAndFinish("Learned: y = 6. " + call.LastUserText.Length));

    /// <summary>A typed client with the admin key (or the given one).</summary>
    public SleepTimeClient Client(string? key = AdminKey, HttpMessageHandler? handler = null) =>
        SleepTimeClient.Create(Url, key, TimeSpan.FromSeconds(60), handler);

    /// <summary>A new tenant, and a typed client holding its key.</summary>
    public async Task<SleepTimeClient> TenantClientAsync(string tenantId, HttpMessageHandler? handler = null)
    {
        using var admin = Client();
        var created = await admin.Tenants.CreateAsync(new CreateTenantRequest(tenantId, tenantId, null));
        return Client(created.ApiKey, handler);
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
