using System.Text.Json;
using SleepTime.Testing.OpenAiCompatible;

namespace SleepTime.Extensions.AI.Tests;

/// <summary>The <c>samples/SleepTime.ChatClientSample</c> console app, run end to end over the OpenAI protocol fake.</summary>
public sealed class ChatClientSampleTests
{
    [Fact]
    public async Task The_console_sample_streams_both_turns_and_its_second_turn_carries_the_learned_context()
    {
        await using var server = await FakeOpenAiServer.StartAsync(request => request.Tools.Any(t => t.Name == "rethink_memory")
            ? FakeReply.ToolCalls(
                ("rethink_memory", JsonSerializer.Serialize(new { new_memory = "rolls_sold_per_day = 0.85 * 288 = 244.8" })),
                ("finish_rethinking_memory", "{}"))
            : FakeReply.Text("About 1714 rolls a week."));
        var output = new StringWriter();

        await ChatClientSample.RunAsync(server.CreateChatClient(), output);

        var text = output.ToString();
        Assert.Contains("> How many rolls do I sell in a week?\nAbout 1714 rolls a week.\n", text, StringComparison.Ordinal);
        Assert.Contains("[learned context v1: rolls_sold_per_day = 0.85 * 288 = 244.8]", text, StringComparison.Ordinal);
        var answers = server.ChatRequests.Where(r => r.Tools.Count == 0).ToList();
        Assert.Equal(2, answers.Count);
        Assert.All(answers, r => Assert.True(r.Stream));
        Assert.DoesNotContain("244.8", answers[0].SystemText, StringComparison.Ordinal);
        Assert.Contains("244.8", answers[1].Messages[0].Content, StringComparison.Ordinal);
    }
}
