using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using SleepTime.Server.Tests.Contracts;
using SleepTime.Testing;

namespace SleepTime.Server.Tests;

/// <summary>
/// The real server on its own SQLite file with scripted models: the sleep model rethinks once and finishes,
/// the test model answers "The answer is 42.". Each instance is isolated so test classes run in parallel.
/// </summary>
public sealed class ServerFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "st_test_admin_key";

    private readonly Dictionary<string, string?> settings;
    private readonly string path = Path.Combine(Path.GetTempPath(), "sleeptime-server-tests", Guid.NewGuid().ToString("N") + ".db");

    public ServerFactory(IChatClient? sleepModel = null, IChatClient? testModel = null, bool withModels = true, Dictionary<string, string?>? settings = null, bool recordResponses = true)
    {
        Recorder = recordResponses ? new ResponseRecorder() : null;
        SleepModel = sleepModel ?? new ScriptedChatClient(call => ScriptedReply.RethinkAndFinish("Learned: y = 6. " + call.LastUserText.Length));
        TestModel = testModel ?? new InstantChatClient();
        WithModels = withModels;
        this.settings = new Dictionary<string, string?>
        {
            ["SleepTime:Storage:SqlitePath"] = path,
            ["SleepTime:Server:AdminKey"] = AdminKey,
            ["SleepTime:Scheduling:Defaults:DebounceSeconds"] = "0",
            ["SleepTime:Scheduling:RetryBaseDelaySeconds"] = "0.05",
        };
        foreach (var (key, value) in settings ?? [])
        {
            this.settings[key] = value;
        }
    }

    public IChatClient SleepModel { get; }

    public IChatClient TestModel { get; }

    public bool WithModels { get; }

    /// <summary>Every /api response this server sent; checked against the OpenAPI document when the factory is disposed.</summary>
    public ResponseRecorder? Recorder { get; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            if (Recorder is not null)
            {
                services.AddSingleton<IStartupFilter>(Recorder);
            }

            if (WithModels)
            {
                services.AddKeyedSingleton("sleep", SleepModel);
                services.AddKeyedSingleton("test", TestModel);
            }
        });
    }

    public HttpClient Client(string key = AdminKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A new tenant and a client holding its key.</summary>
    public async Task<HttpClient> TenantClientAsync(string tenantId)
    {
        var response = await Client().PostAsJsonAsync("/api/tenants", new { id = tenantId, name = tenantId });
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return Client(created.GetProperty("api_key").GetString()!);
    }

    /// <summary>Stops the server, then fails the test that used it if any response it sent breaks the OpenAPI contract.</summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync().ConfigureAwait(false);
        if (Recorder is null || Recorder.Responses.IsEmpty)
        {
            return;
        }

        var responses = Recorder.Responses.ToArray();
        Recorder.Responses.Clear();
        var (_, violations) = await ContractCheck.CheckAsync(responses).ConfigureAwait(false);
        if (violations.Count > 0)
        {
            throw new InvalidOperationException($"{violations.Count} responses break /openapi/v1.json:\n" + string.Join("\n", violations.Take(20)));
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
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
