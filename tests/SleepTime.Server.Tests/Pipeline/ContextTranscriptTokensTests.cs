using SleepTime.Testing;

namespace SleepTime.Server.Tests.Pipeline;

/// <summary>
/// A context's <c>transcript_tokens</c> schedule, as an agent's: a run is queued by the write that brings the unread
/// entries to the threshold (o200k tokens, counted when each entry is added), and only then. The decision is made
/// inside the write's request, so the run list right after a response is the whole answer.
/// </summary>
public sealed class ContextTranscriptTokensTests
{
    private const int Threshold = 40;

    [Fact]
    public async Task A_conversation_context_sleeps_when_its_unread_turns_reach_the_token_threshold_and_not_before()
    {
        await using var factory = new ServerFactory();
        var client = factory.Client();
        const string Short = "Hi, I am planning a trip.";
        var longTurn = string.Join(' ', Enumerable.Repeat("We will visit Oslo, Bergen and Tromsø in March, by train where we can.", 3));
        Assert.True(O200kTokenCounter.Instance.CountTokens(Short) * 3 < Threshold);
        Assert.True(O200kTokenCounter.Instance.CountTokens(longTurn) >= Threshold);

        await client.PostOkAsync("/api/contexts", new { id = "trip", kind = "conversation", content = new[] { new { role = "user", text = Short } }, schedule = new { on_change = false, transcript_tokens = Threshold } });
        await client.PostOkAsync("/api/contexts/trip/append", new { content = new[] { new { role = "assistant", text = Short } } });
        Assert.Empty(await RunsAsync(client));

        var crossing = await client.PostOkAsync("/api/contexts/trip/append", new { content = new[] { new { role = "user", text = longTurn } } });
        var first = Assert.Single(await client.WaitForContextRunsAsync("trip", 1, TriggerKinds.TranscriptTokens));
        Assert.Equal("succeeded", first.Status());
        Assert.Equal(crossing.GetProperty("version").GetInt64(), first.GetProperty("context_version").GetInt64());

        // The sleep read everything: the count starts again from its watermark.
        await client.PostOkAsync("/api/contexts/trip/append", new { content = new[] { new { role = "assistant", text = Short } } });
        Assert.Single(await RunsAsync(client));
        await client.PostOkAsync("/api/contexts/trip/append", new { content = new[] { new { role = "user", text = longTurn } } });
        Assert.Equal(2, (await client.WaitForContextRunsAsync("trip", 2, TriggerKinds.TranscriptTokens)).Length);
    }

    private static async Task<System.Text.Json.JsonElement[]> RunsAsync(HttpClient client) =>
        (await client.GetOkAsync("/api/contexts/trip/runs?limit=100")).EnumerateArray().ToArray();
}
