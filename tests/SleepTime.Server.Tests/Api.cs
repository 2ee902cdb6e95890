using System.Net.Http.Json;
using System.Text.Json;

namespace SleepTime.Server.Tests;

/// <summary>Small helpers over the HTTP API.</summary>
public static class Api
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return string.IsNullOrEmpty(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> PostOkAsync(this HttpClient client, string url, object body)
    {
        var response = await client.PostAsJsonAsync(url, body, ServerFactory.Json);
        var json = await response.JsonAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {json}");
        return json;
    }

    public static async Task<JsonElement> GetOkAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var json = await response.JsonAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {json}");
        return json;
    }

    /// <summary>Waits until the run is final (the scheduler works asynchronously) and returns it.</summary>
    public static async Task<JsonElement> WaitForRunAsync(this HttpClient client, string runId)
    {
        for (var i = 0; i < 600; i++)
        {
            var run = await client.GetOkAsync($"/api/runs/{runId}");
            if (run.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled" or "skipped")
            {
                return run;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Run {runId} did not finish.");
    }

    /// <summary>Waits until a context has no live runs and returns all of its runs.</summary>
    public static async Task<JsonElement[]> WaitForIdleAsync(this HttpClient client, string contextId)
    {
        for (var i = 0; i < 1200; i++)
        {
            var runs = (await client.GetOkAsync($"/api/contexts/{contextId}/runs?limit=1000")).EnumerateArray().ToArray();
            if (runs.Length > 0 && runs.All(r => r.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled" or "skipped"))
            {
                return runs;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Context {contextId} did not go idle.");
    }
}
