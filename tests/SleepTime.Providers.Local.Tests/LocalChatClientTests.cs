using System.Text;
using System.Text.Json;
using LLama;
using Microsoft.Extensions.AI;
using SleepTime.Agents;

namespace SleepTime.Providers.Local.Tests;

/// <summary>The local provider on the real toy model: text, streaming, exact usage, finish reasons, stops, cancellation.</summary>
public sealed class LocalChatClientTests
{
    private static ChatOptions Greedy(int maxTokens) => new() { Temperature = 0, MaxOutputTokens = maxTokens };

    /// <summary>The prompt tokens as llama.cpp counts them, computed here without the provider's code.</summary>
    private static int PromptTokens(params (string Role, string Text)[] messages)
    {
        var weights = ToyModel.Model.Weights;
        var template = new LLamaTemplate(weights.NativeHandle, strict: false) { AddAssistant = true };
        foreach (var (role, text) in messages)
        {
            template.Add(role, text);
        }

        return weights.Tokenize(Encoding.UTF8.GetString(template.Apply()), add_bos: true, special: true, Encoding.UTF8).Length;
    }

    [ToyModelFact]
    public async Task Reports_exact_usage_from_the_models_tokenizer()
    {
        using var client = ToyModel.Client();
        var prompt = new[] { new ChatMessage(ChatRole.System, "Tell a story."), new ChatMessage(ChatRole.User, "Once upon a time") };

        var response = await client.GetResponseAsync(prompt, Greedy(12));

        Assert.NotNull(response.Usage);
        Assert.Equal(PromptTokens(("system", "Tell a story."), ("user", "Once upon a time")), response.Usage.InputTokenCount);
        Assert.Equal(12, response.Usage.OutputTokenCount);
        Assert.Equal(response.Usage.InputTokenCount + 12, response.Usage.TotalTokenCount);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.Equal("stories260K", response.ModelId);
        Assert.False(new UsageMeter(new CharacterCounter()).Measure(prompt, response).Estimated, "local usage must be reported, not estimated");
    }

    [ToyModelFact]
    public async Task Output_tokens_are_counted_one_per_generated_token()
    {
        using var client = ToyModel.Client();

        var shorter = await client.GetResponseAsync("Once upon a time", Greedy(5));
        var longer = await client.GetResponseAsync("Once upon a time", Greedy(15));

        Assert.Equal(5, shorter.Usage!.OutputTokenCount);
        Assert.Equal(15, longer.Usage!.OutputTokenCount);
        Assert.StartsWith(shorter.Text, longer.Text, StringComparison.Ordinal);
        Assert.True(longer.Text.Length > shorter.Text.Length);
    }

    [ToyModelFact]
    public async Task Streams_one_piece_per_token_and_ends_with_usage_and_finish_reason()
    {
        using var client = ToyModel.Client();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Once upon a time", Greedy(10)))
        {
            updates.Add(update);
        }

        var whole = await client.GetResponseAsync("Once upon a time", Greedy(10));
        var streamed = updates.ToChatResponse();
        var textUpdates = updates.Count(u => !string.IsNullOrEmpty(u.Text));
        Assert.InRange(textUpdates, 2, 10);
        Assert.Equal(whole.Text, streamed.Text);
        var last = updates[^1];
        Assert.Equal(ChatFinishReason.Length, last.FinishReason);
        var usage = Assert.Single(last.Contents.OfType<UsageContent>()).Details;
        Assert.Equal(whole.Usage!.InputTokenCount, usage.InputTokenCount);
        Assert.Equal(10, usage.OutputTokenCount);
        Assert.Equal(10, streamed.Usage!.OutputTokenCount);
        Assert.All(updates, u => Assert.Equal(updates[0].MessageId, u.MessageId));
    }

    [ToyModelFact]
    public async Task A_stop_sequence_ends_the_reply_before_it_and_is_never_streamed()
    {
        using var client = ToyModel.Client();
        var free = await client.GetResponseAsync("Once upon a time", Greedy(60));
        var stop = free.Text.Trim().Split(' ')[2]; // a word the free reply contains
        var options = Greedy(60);
        options.StopSequences = [stop];

        var stopped = await client.GetResponseAsync("Once upon a time", options);
        var streamed = new StringBuilder();
        await foreach (var update in client.GetStreamingResponseAsync("Once upon a time", options))
        {
            streamed.Append(update.Text);
        }

        Assert.Equal(ChatFinishReason.Stop, stopped.FinishReason);
        Assert.Equal(free.Text[..free.Text.IndexOf(stop, StringComparison.Ordinal)], stopped.Text);
        Assert.Equal(stopped.Text, streamed.ToString());
        Assert.True(stopped.Usage!.OutputTokenCount < 60);
    }

    [ToyModelFact]
    public async Task Cancelling_a_stream_ends_it_with_OperationCanceledException_and_frees_the_context()
    {
        var model = LocalModel.Load(ToyModel.Settings with { MaxContexts = 1 });
        using var _ = model;
        using var client = new LocalChatClient(model, "toy");
        using var cancellation = new CancellationTokenSource();
        var received = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Once upon a time", Greedy(100), cancellation.Token))
            {
                if (!string.IsNullOrEmpty(update.Text) && ++received == 2)
                {
                    await cancellation.CancelAsync();
                }
            }
        });

        Assert.Equal(2, received);
        Assert.Equal(1, model.Contexts.Available);
        var after = await client.GetResponseAsync("Once upon a time", Greedy(3));
        Assert.Equal(3, after.Usage!.OutputTokenCount);
    }

    [ToyModelFact]
    public async Task A_call_cancelled_before_it_starts_throws_and_generates_nothing()
    {
        using var client = ToyModel.Client();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync("Once upon a time", Greedy(10), new CancellationToken(canceled: true)));
    }

    [ToyModelFact]
    public async Task Calls_beyond_the_pool_wait_for_a_context_instead_of_creating_more()
    {
        var model = LocalModel.Load(ToyModel.Settings with { MaxContexts = 1 });
        using var _ = model;
        using var client = new LocalChatClient(model, "toy");

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.GetResponseAsync("Once upon a time", Greedy(8))));

        Assert.All(responses, r => Assert.Equal(responses[0].Text, r.Text));
        Assert.Equal(1, model.Contexts.Created);
        Assert.Equal(1, model.Contexts.Available);
    }

    [ToyModelFact]
    public async Task A_prompt_longer_than_the_context_is_refused_with_the_sizes()
    {
        using var client = ToyModel.Client();
        var tooLong = string.Join(" ", Enumerable.Repeat("Once upon a time there was a girl.", 40));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(tooLong, Greedy(4)));

        Assert.Contains($"holds {ToyModel.Model.ContextSize}", error.Message);
    }

    [ToyModelFact]
    public async Task A_required_tool_call_is_constrained_by_the_grammar_and_parses()
    {
        using var client = ToyModel.WideClient();
        var options = new ChatOptions { Tools = MemoryTools.Declared, ToolMode = ChatToolMode.RequireAny, Temperature = 0, MaxOutputTokens = 120, Seed = 1 };

        var response = await client.GetResponseAsync("Once upon a time", options);

        var call = SingleCall(response);
        Assert.Contains(call.Name, MemoryTools.Declared.Select(t => t.Name));
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        AssertMatchesSchema(call);
        Assert.True(response.Usage!.OutputTokenCount > 0);
    }

    [ToyModelFact]
    public async Task A_tool_call_with_typed_arguments_parses_into_those_types()
    {
        using var client = ToyModel.WideClient();
        var tool = AIFunctionFactory.CreateDeclaration("plan", "Plan a story.", JsonDocument.Parse("""
            {"type":"object","properties":{
              "count":{"type":"integer"},"ratio":{"type":"number"},"happy":{"type":"boolean"},
              "mood":{"type":"string","enum":["glad","sad"]},"flags":{"type":"array","items":{"type":"boolean"},"maxItems":3}},
             "required":["count","ratio","happy","mood","flags"]}
            """).RootElement.Clone());
        var options = new ChatOptions { Tools = [tool], ToolMode = ChatToolMode.RequireSpecific("plan"), Temperature = 0, MaxOutputTokens = 120 };

        var response = await client.GetResponseAsync("Once upon a time", options);

        var call = SingleCall(response);
        Assert.Equal("plan", call.Name);
        var arguments = call.Arguments!.ToDictionary(a => a.Key, a => (JsonElement)a.Value!);
        Assert.True(arguments["count"].TryGetInt64(out _), $"count: {arguments["count"]}");
        Assert.Equal(JsonValueKind.Number, arguments["ratio"].ValueKind);
        Assert.Contains(arguments["happy"].ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        Assert.Contains(arguments["mood"].GetString(), new[] { "glad", "sad" });
        Assert.Equal(JsonValueKind.Array, arguments["flags"].ValueKind);
        Assert.InRange(arguments["flags"].GetArrayLength(), 0, 3);
        Assert.All(arguments["flags"].EnumerateArray(), f => Assert.Contains(f.ValueKind, new[] { JsonValueKind.True, JsonValueKind.False }));
    }

    [ToyModelFact]
    public async Task A_streamed_tool_call_arrives_whole_at_the_end()
    {
        using var client = ToyModel.WideClient();
        var options = new ChatOptions { Tools = [NoteTool], ToolMode = ChatToolMode.RequireAny, Temperature = 0, MaxOutputTokens = 120 };

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Once upon a time", options))
        {
            updates.Add(update);
        }

        var whole = await client.GetResponseAsync("Once upon a time", options);
        Assert.DoesNotContain(updates, u => !string.IsNullOrEmpty(u.Text));
        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        var expected = SingleCall(whole);
        Assert.Equal(expected.Name, call.Name);
        Assert.Equal(((JsonElement)expected.Arguments!["text"]!).GetString(), ((JsonElement)call.Arguments!["text"]!).GetString());
        Assert.Equal(ChatFinishReason.ToolCalls, updates[^1].FinishReason);
        Assert.Equal(whole.Usage!.OutputTokenCount, updates[^1].Contents.OfType<UsageContent>().Single().Details.OutputTokenCount);
    }

    [ToyModelFact]
    public async Task In_auto_mode_the_reply_is_either_a_parsed_call_or_text_that_is_not_a_call()
    {
        using var client = ToyModel.WideClient();
        foreach (var seed in new long[] { 1, 2 })
        {
            var options = new ChatOptions { Tools = [NoteTool], ToolMode = ChatToolMode.Auto, Temperature = 1, MaxOutputTokens = 40, Seed = seed };

            var response = await client.GetResponseAsync("Once upon a time", options);

            var contents = response.Messages.SelectMany(m => m.Contents).ToList();
            if (contents.OfType<FunctionCallContent>().SingleOrDefault() is { } call)
            {
                Assert.Equal("note", call.Name);
                Assert.Equal(JsonValueKind.String, Assert.IsType<JsonElement>(call.Arguments!["text"]).ValueKind);
            }
            else
            {
                Assert.False(response.Text.TrimStart().StartsWith('{'), response.Text);
                Assert.False(string.IsNullOrEmpty(response.Text));
            }
        }
    }

    [ToyModelFact]
    public async Task Past_tool_calls_and_results_reach_the_prompt_as_text()
    {
        using var client = ToyModel.WideClient();
        var call = new FunctionCallContent("c1", MemoryTools.Rethink, new Dictionary<string, object?> { ["label"] = "facts", ["new_value"] = "x = 4" });
        var conversation = new List<ChatMessage>
        {
            new(ChatRole.User, "Once upon a time"),
            new(ChatRole.Assistant, [call]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "ok")]),
        };

        var response = await client.GetResponseAsync(conversation, Greedy(2));

        var expected = PromptTokens(
            ("user", "Once upon a time"),
            ("assistant", """{"name":"memory_rethink","arguments":{"label":"facts","new_value":"x = 4"}}"""),
            ("user", "Tool result (c1): ok"));
        Assert.Equal(expected, response.Usage!.InputTokenCount);

    }

    private static readonly AIFunctionDeclaration NoteTool = AIFunctionFactory.CreateDeclaration(
        "note", "Write a note.", JsonDocument.Parse("""{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}""").RootElement.Clone());

    private static FunctionCallContent SingleCall(ChatResponse response)
    {
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.True(calls.Count == 1, $"expected one call ({response.FinishReason}, {response.Usage?.OutputTokenCount} tokens): {response.Text}");
        return calls[0];
    }

    private static void AssertMatchesSchema(FunctionCallContent call)
    {
        var tool = (AIFunctionDeclaration)MemoryTools.Declared.Single(t => t.Name == call.Name);
        var schema = tool.JsonSchema;
        var declared = schema.GetProperty("properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("type").GetString());
        var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
        Assert.NotNull(call.Arguments);
        Assert.All(required, name => Assert.True(call.Arguments.ContainsKey(name), $"{call.Name} lacks {name}"));
        foreach (var (name, value) in call.Arguments)
        {
            Assert.True(declared.ContainsKey(name), $"{call.Name} has an undeclared argument {name}");
            var element = Assert.IsType<JsonElement>(value);
            Assert.Equal(declared[name] == "integer" ? JsonValueKind.Number : JsonValueKind.String, element.ValueKind);
        }
    }

    private sealed class CharacterCounter : ITokenCounter
    {
        public int CountTokens(string text) => text.Length;
    }
}
