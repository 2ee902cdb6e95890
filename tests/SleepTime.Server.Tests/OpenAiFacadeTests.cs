using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;

namespace SleepTime.Server.Tests;

/// <summary>The facade, driven by the official OpenAI .NET SDK.</summary>
public sealed class OpenAiFacadeTests : IAsyncLifetime
{
    private readonly ServerFactory factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private OpenAIClient Sdk() => new(new ApiKeyCredential(ServerFactory.AdminKey), new OpenAIClientOptions
    {
        Endpoint = new Uri(factory.Server.BaseAddress, "v1/"),
        Transport = new HttpClientPipelineTransport(factory.CreateClient()),
        NetworkTimeout = TimeSpan.FromMinutes(1),
    });

    [Fact]
    public async Task The_sdk_chats_with_a_context_and_its_turns_are_recorded()
    {
        var client = factory.Client();
        await client.PostOkAsync("/api/contexts", new { id = "conv", kind = "conversation", content = new[] { new { role = "user", text = "x = 3" } }, schedule = new { on_change = false } });
        await client.WaitForRunAsync((await client.PostOkAsync("/api/contexts/conv/runs", new { })).GetProperty("id").GetString()!);

        var models = await Sdk().GetOpenAIModelClient().GetModelsAsync();
        Assert.Contains(models.Value, m => m.Id == "ctx:conv");

        var chat = Sdk().GetChatClient("ctx:conv");
        ChatCompletion completion = await chat.CompleteChatAsync(new UserChatMessage("What is x?"));
        Assert.Equal("The answer is 42.", completion.Content[0].Text);
        Assert.True(completion.Usage.InputTokenCount > 0);

        var streamed = new System.Text.StringBuilder();
        await foreach (var update in chat.CompleteChatStreamingAsync(new UserChatMessage("And again?")))
        {
            foreach (var part in update.ContentUpdate)
            {
                streamed.Append(part.Text);
            }
        }

        Assert.Equal("The answer is 42.", streamed.ToString());
        var context = await client.GetOkAsync("/api/contexts/conv");
        var turns = context.GetProperty("entries").EnumerateArray().Select(e => (e.GetProperty("role").GetString(), e.GetProperty("text").GetString())).ToList();
        Assert.Equal([("user", "x = 3"), ("user", "What is x?"), ("assistant", "The answer is 42."), ("user", "And again?"), ("assistant", "The answer is 42.")], turns);
        var queries = await client.GetOkAsync("/api/contexts/conv/queries");
        Assert.All(queries.EnumerateArray(), q => Assert.Equal(1, q.GetProperty("learned_version").GetInt64()));
    }

    [Fact]
    public async Task An_unknown_context_is_an_error_the_sdk_reports()
    {
        var chat = Sdk().GetChatClient("ctx:missing");
        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync(new UserChatMessage("hi")));
        Assert.Equal(404, error.Status);
    }
}
