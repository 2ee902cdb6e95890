using System.Net;
using System.Net.Http.Json;
using SleepTime.Testing;

namespace SleepTime.Server.Tests;

/// <summary>The facade never answers 200 for a turn it could not record.</summary>
public sealed class OpenAiFacadeLimitsTests : IAsyncDisposable
{
    private readonly ScriptedChatClient testModel = new(_ => ScriptedReply.Text("The answer is forty-two, as always."));
    private readonly ServerFactory server;

    public OpenAiFacadeLimitsTests() =>
        server = new ServerFactory(testModel: testModel, settings: new Dictionary<string, string?> { ["SleepTime:Server:MaxContextChars"] = "100" });

    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task A_question_that_does_not_fit_the_conversation_is_refused_before_any_model_call()
    {
        var client = server.Client();
        await client.PostOkAsync("/api/contexts", new { id = "full", kind = "conversation", content = new[] { new { role = "user", text = new string('x', 95) } } });

        using var response = await client.PostAsJsonAsync("/v1/chat/completions", new { model = "ctx:full", messages = new[] { new { role = "user", content = "One more question?" } } });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, testModel.CallCount);
    }

    [Fact]
    public async Task An_answer_that_overflows_the_conversation_is_not_reported_as_recorded()
    {
        var client = server.Client();
        await client.PostOkAsync("/api/contexts", new { id = "nearly", kind = "conversation", content = new[] { new { role = "user", text = new string('x', 60) } } });

        using var response = await client.PostAsJsonAsync("/v1/chat/completions", new { model = "ctx:nearly", messages = new[] { new { role = "user", content = "How much?" } } });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var context = await client.GetOkAsync("/api/contexts/nearly");
        Assert.Equal(1, context.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task A_turn_that_fits_is_answered_and_recorded()
    {
        var client = server.Client();
        await client.PostOkAsync("/api/contexts", new { id = "roomy", kind = "conversation", content = new[] { new { role = "user", text = "Hi" } } });

        using var response = await client.PostAsJsonAsync("/v1/chat/completions", new { model = "ctx:roomy", messages = new[] { new { role = "user", content = "How much?" } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await client.GetOkAsync("/api/contexts/roomy")).GetProperty("version").GetInt64());
    }
}
