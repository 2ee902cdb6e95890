using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using OpenAI;
using SleepTime.Providers;
using SleepTime.Testing.OpenAiCompatible;

namespace SleepTime.Server.Tests.OpenAi;

/// <summary>
/// The server whose test model is the provider stack (<see cref="ChatClientFactory"/>, the official SDK) over
/// <see cref="FakeOpenAiServer"/> on real HTTP, and the official OpenAI SDK as the facade's client.
/// </summary>
public sealed class FacadeOverFakeModel : IAsyncDisposable
{
    private readonly ServerFactory factory;

    private FacadeOverFakeModel(FakeOpenAiServer model, ServerFactory factory, ServerErrorLog errors)
    {
        Model = model;
        this.factory = factory;
        Errors = errors;
        Server = factory.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(errors)));
    }

    /// <summary>What the server logged as errors.</summary>
    public ServerErrorLog Errors { get; }

    /// <summary>The model behind the facade.</summary>
    public FakeOpenAiServer Model { get; }

    public WebApplicationFactory<Program> Server { get; }

    public static async Task<FacadeOverFakeModel> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var model = await FakeOpenAiServer.StartAsync();
        var client = ChatClientFactory.Create(new ModelEndpointOptions
        {
            Provider = ProviderKind.OpenAICompatible,
            Model = "fake-model",
            Endpoint = model.BaseUrl,
            MaxRetries = 0,
            Timeout = TimeSpan.FromSeconds(60),
        });
        return new FacadeOverFakeModel(model, new ServerFactory(testModel: client, settings: settings), new ServerErrorLog());
    }

    public HttpClient Http(string key = ServerFactory.AdminKey)
    {
        var client = Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>The official SDK pointed at the facade, retries off so each call reaches it once.</summary>
    public OpenAIClient Sdk(string key = ServerFactory.AdminKey) => new(new ApiKeyCredential(key), new OpenAIClientOptions
    {
        Endpoint = new Uri(Server.Server.BaseAddress, "v1/"),
        Transport = new HttpClientPipelineTransport(Server.CreateClient()),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        NetworkTimeout = TimeSpan.FromMinutes(1),
    });

    public Task CreateConversationAsync(string id, string firstTurn = "Hello.") =>
        Http().PostOkAsync("/api/contexts", new { id, kind = "conversation", content = new[] { new { role = "user", text = firstTurn } }, schedule = new { on_change = false } });

    public Task CreateDocumentAsync(string id, string text) =>
        Http().PostOkAsync("/api/contexts", new { id, text, schedule = new { on_change = false } });

    /// <summary>The context's entries as (role, text).</summary>
    public async Task<List<(string? Role, string? Text)>> TurnsAsync(string id) =>
        (await Http().GetOkAsync($"/api/contexts/{id}")).GetProperty("entries").EnumerateArray()
            .Select(e => (e.GetProperty("role").GetString(), e.GetProperty("text").GetString())).ToList();

    public async Task<int> QueryCountAsync(string id) => (await Http().GetOkAsync($"/api/contexts/{id}/queries")).GetArrayLength();

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await factory.DisposeAsync();
        await Model.DisposeAsync();
    }
}
