using System.Net.Http.Json;
using System.Text.Json;

namespace SleepTime.Server.Tests;

/// <summary>Helpers over the agents API (the server side is SleepTime.Server.AgentApi).</summary>
public static class AgentClient
{
    public static readonly string[] FinalRunStatuses = ["succeeded", "failed", "skipped", "cancelled"];

    public static async Task<(string AgentId, string BlockId)> CreateAgentAsync(this HttpClient client, string human = "Name: Ada\nLikes tea")
    {
        var agent = await client.PostOkAsync("/api/agents", new { name = "assistant", instructions = "Be brief.", blocks = new[] { new { label = "human", value = human, limit = 2000 } } });
        return (agent.GetProperty("id").GetString()!, agent.GetProperty("block_ids")[0].GetString()!);
    }

    public static async Task<string> CreateSleeperAsync(this HttpClient client, string agentId, object? settings = null)
    {
        var sleeper = await client.PostOkAsync($"/api/agents/{agentId}/sleeptime-agents", settings ?? new { name = "memory" });
        return sleeper.GetProperty("id").GetString()!;
    }

    public static Task<JsonElement> SendAsync(this HttpClient client, string agentId, string message) =>
        client.PostOkAsync($"/api/agents/{agentId}/messages", new { message });

    public static async Task<JsonElement> TriggerAsync(this HttpClient client, string sleeperId)
    {
        var response = await client.PostAsJsonAsync($"/api/sleeptime-agents/{sleeperId}/runs", new { }, ServerFactory.Json);
        var json = await response.JsonAsync();
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        return json;
    }

    /// <summary>Polls until the run is final (runs execute in the background) and returns it.</summary>
    public static async Task<JsonElement> WaitForSleepTimeRunAsync(this HttpClient client, string runId)
    {
        for (var i = 0; i < 1200; i++)
        {
            var run = await client.GetOkAsync($"/api/sleeptime-runs/{runId}");
            if (FinalRunStatuses.Contains(run.GetProperty("status").GetString()))
            {
                return run;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"Sleep-time run {runId} did not finish.");
    }

    /// <summary>Polls until the agent has at least <paramref name="count"/> runs and none is live; returns them newest first.</summary>
    public static async Task<JsonElement[]> WaitForRunsAsync(this HttpClient client, string agentId, int count)
    {
        for (var i = 0; i < 1200; i++)
        {
            var runs = (await client.GetOkAsync($"/api/agents/{agentId}/sleeptime-runs")).EnumerateArray().ToArray();
            if (runs.Length >= count && runs.All(r => FinalRunStatuses.Contains(r.GetProperty("status").GetString())))
            {
                return runs;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"Agent {agentId} did not get {count} finished runs.");
    }

    public static async Task<string> BlockValueAsync(this HttpClient client, string blockId) =>
        (await client.GetOkAsync($"/api/blocks/{blockId}")).GetProperty("value").GetString()!;
}
