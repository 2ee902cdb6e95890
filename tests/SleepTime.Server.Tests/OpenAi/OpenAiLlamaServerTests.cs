using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;
using SleepTime.Providers;
using SleepTime.Testing.Conditions;
using SleepTime.Testing.OpenAiCompatible;

namespace SleepTime.Server.Tests.OpenAi;

/// <summary>The real llama.cpp server beside the project, streaming through the facade to the official SDK.</summary>
public sealed class OpenAiLlamaServerTests
{
    [LlamaServerFact]
    public async Task A_real_llama_server_streams_through_the_facade_chunk_by_chunk()
    {
        // The toy model was trained on 128 tokens, which llama-server caps a slot at; the facade's system prompt alone
        // is near that, so the model's declared context length is raised (its replies stay nonsense either way).
        await using var llama = await LlamaServerProcess.StartAsync(null, "-c", "1024", "-np", "1", "-t", "1", "--override-kv", "llama.context_length=int:1024");
        var model = ChatClientFactory.Create(new ModelEndpointOptions
        {
            Provider = ProviderKind.OpenAICompatible,
            Model = "stories260K",
            Endpoint = llama.BaseUrl,
            Timeout = TimeSpan.FromSeconds(60),
            MaxRetries = 1,
        });
        await using var server = new ServerFactory(testModel: model);
        await server.Client().PostOkAsync("/api/contexts", new { id = "story", text = "A cat.", schedule = new { on_change = false } });
        var sdk = new OpenAIClient(new ApiKeyCredential(ServerFactory.AdminKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(server.Server.BaseAddress, "v1/"),
            Transport = new HttpClientPipelineTransport(server.CreateClient()),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });

        var pieces = new List<string>();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in sdk.GetChatClient("ctx:story").CompleteChatStreamingAsync([new UserChatMessage("Then?")], new ChatCompletionOptions { MaxOutputTokenCount = 16, Temperature = 0 }))
        {
            pieces.AddRange(update.ContentUpdate.Select(p => p.Text).Where(t => t.Length > 0));
            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }

        Assert.True(pieces.Count > 1, $"the text should arrive in more than one chunk, got {pieces.Count}: {llama.RecentOutput}");
        Assert.False(string.IsNullOrWhiteSpace(string.Concat(pieces)));
        Assert.NotNull(finish);
        Assert.NotNull(usage);
        Assert.True(usage.InputTokenCount > 0 && usage.OutputTokenCount is > 0 and <= 16, $"usage {usage.InputTokenCount}/{usage.OutputTokenCount}");
        var query = Assert.Single((await server.Client().GetOkAsync("/api/contexts/story/queries")).EnumerateArray());
        Assert.Equal(string.Concat(pieces), query.GetProperty("answer").GetString());
    }
}
