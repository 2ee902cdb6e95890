using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.AI;
using SleepTime.Testing;

namespace SleepTime.Server.Tests.Pipeline;

/// <summary>Helpers of the pipeline tests: runs by trigger, what a sleep read, servers sharing one SQLite file.</summary>
internal static class PipelineApi
{
    /// <summary>A SQLite file for servers that restart on it; removed by <see cref="DeleteDatabase"/>.</summary>
    public static string NewDatabasePath() =>
        Path.Combine(Path.GetTempPath(), "sleeptime-server-tests", "pipeline-" + Guid.NewGuid().ToString("N") + ".db");

    public static void DeleteDatabase(string path)
    {
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*"))
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

    /// <summary>Settings of a server on <paramref name="path"/> whose runs name <paramref name="node"/>, so a test sees which server worked a run.</summary>
    public static Dictionary<string, string?> OnFile(string path, string node) => new()
    {
        ["SleepTime:Storage:SqlitePath"] = path,
        ["SleepTime:Scheduling:NodeName"] = node,
    };

    public static string Status(this JsonElement run) => run.GetProperty("status").GetString()!;

    public static string Trigger(this JsonElement run) => run.GetProperty("trigger").GetString()!;

    public static string Id(this JsonElement json) => json.GetProperty("id").GetString()!;

    /// <summary>Polls until the agent has <paramref name="count"/> finished runs of <paramref name="trigger"/> and no live run; returns those, oldest first.</summary>
    public static async Task<JsonElement[]> WaitForAgentRunsAsync(this HttpClient client, string agentId, int count, string trigger)
    {
        for (var i = 0; i < 600; i++)
        {
            var runs = (await client.GetOkAsync($"/api/agents/{agentId}/sleeptime-runs?limit=1000")).EnumerateArray().ToArray();
            var matching = runs.Where(r => r.Trigger() == trigger).Reverse().ToArray();
            if (matching.Length >= count && runs.All(r => AgentClient.FinalRunStatuses.Contains(r.Status())))
            {
                return matching;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"Agent {agentId} did not get {count} finished {trigger} runs.");
    }

    /// <summary>Polls until the context has <paramref name="count"/> finished runs of <paramref name="trigger"/> and no live run; returns those, oldest first.</summary>
    public static async Task<JsonElement[]> WaitForContextRunsAsync(this HttpClient client, string contextId, int count, string trigger)
    {
        for (var i = 0; i < 600; i++)
        {
            var runs = (await client.GetOkAsync($"/api/contexts/{contextId}/runs?limit=1000")).EnumerateArray().ToArray();
            var matching = runs.Where(r => r.Trigger() == trigger).Reverse().ToArray();
            if (matching.Length >= count && runs.All(r => AgentClient.FinalRunStatuses.Contains(r.Status())))
            {
                return matching;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"Context {contextId} did not get {count} finished {trigger} runs.");
    }

    /// <summary>Polls until the run (of either kind) is running and returns it.</summary>
    public static async Task<JsonElement> WaitForRunningAsync(this HttpClient client, string runId)
    {
        for (var i = 0; i < 600; i++)
        {
            var run = await client.GetOkAsync($"/api/runs/{runId}");
            if (run.Status() == "running")
            {
                return run;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"Run {runId} did not start.");
    }

    /// <summary>The sleep input (blocks and transcript) a model call was given: the first user message.</summary>
    public static string Input(this ScriptedCall call) => call.Messages.First(m => m.Role == ChatRole.User).Text;

    /// <summary>The sleep inputs of every run the model served, in order (one per run's first call).</summary>
    public static string[] RunInputs(this ScriptedChatClient model) =>
        model.Calls.Where(c => c.ToolResults.Count == 0 && c.Messages.Count(m => m.Role == ChatRole.User) == 1).Select(Input).ToArray();

    public static async Task<JsonElement> BlockAsync(this HttpClient client, string blockId) => await client.GetOkAsync($"/api/blocks/{blockId}");

    /// <summary>A new tenant with a daily token cap (set by the admin when it is created), and a client holding its key.</summary>
    public static async Task<HttpClient> CappedTenantClientAsync(this ServerFactory factory, string tenantId, long? dailyTokenCap)
    {
        var response = await factory.Client().PostAsJsonAsync("/api/tenants", new { id = tenantId, name = tenantId, daily_token_cap = dailyTokenCap }, ServerFactory.Json);
        var created = await response.JsonAsync();
        Assert.True(response.IsSuccessStatusCode, created.ToString());
        return factory.Client(created.GetProperty("api_key").GetString()!);
    }
}
