using System.Net;
using System.Net.Http.Json;
using SleepTime.Providers;
using SleepTime.Testing.OpenAiCompatible;

namespace SleepTime.Server.Tests;

/// <summary>A model provider that fails is the upstream's fault: a 502 or 503 problem, never a 500.</summary>
public sealed class ModelFailureTests : IAsyncLifetime
{
    private FakeOpenAiServer model = null!;
    private ServerFactory server = null!;

    public async Task InitializeAsync()
    {
        model = await FakeOpenAiServer.StartAsync();
        var testModel = ChatClientFactory.Create(new ModelEndpointOptions
        {
            Provider = ProviderKind.OpenAICompatible,
            Endpoint = model.BaseUrl,
            Model = "upstream",
            MaxRetries = 0,
        });
        server = new ServerFactory(testModel: testModel);
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await model.DisposeAsync();
    }

    [Fact]
    public async Task A_model_that_rejects_the_request_gives_a_502_problem()
    {
        var client = server.Client();
        await client.PostOkAsync("/api/contexts", new { id = "doc", kind = "document", text = "Ann has 3 apples." });
        model.Enqueue(FakeReply.Error(400, message: "request exceeds the available context size"));

        using var response = await client.PostAsJsonAsync("/api/contexts/doc/queries", new { question = "How many apples?" }, ServerFactory.Json);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.Equal("Model error", problem.GetProperty("title").GetString());
        Assert.Contains("exceeds the available context size", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_overloaded_model_gives_a_503_with_retry_after()
    {
        var client = server.Client();
        await client.PostOkAsync("/api/contexts", new { id = "busy", kind = "document", text = "Ann has 3 apples." });
        model.Enqueue(FakeReply.Error(429, retryAfter: "7", message: "slow down"));

        using var response = await client.PostAsJsonAsync("/api/contexts/busy/queries", new { question = "How many apples?" }, ServerFactory.Json);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        Assert.Equal("Model unavailable", (await response.JsonAsync()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task The_openai_facade_reports_a_failing_model_the_same_way()
    {
        var client = server.Client();
        await client.PostOkAsync("/api/contexts", new { id = "chat", kind = "conversation", content = new[] { new { role = "user", text = "Hi" } } });
        model.Enqueue(FakeReply.Error(400, message: "bad request upstream"));

        using var response = await client.PostAsJsonAsync("/v1/chat/completions", new { model = "ctx:chat", messages = new[] { new { role = "user", content = "Hello?" } } });

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }
}
