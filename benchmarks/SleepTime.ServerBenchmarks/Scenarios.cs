using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using SleepTime.Testing;

namespace SleepTime.ServerBenchmarks;

/// <summary>The server benchmarks of docs/BENCHMARKS.md; each prints its figures to stdout.</summary>
public static class Scenarios
{
    private static readonly string OneKilobyte = string.Concat(Enumerable.Repeat("x = 3. y = 2x. ", 69))[..1024];

    /// <summary>Query path latency and throughput at each client count, against calling the instant model directly.</summary>
    public static async Task QueryPathAsync(int[] clientCounts, int operations)
    {
        await using var server = await ServerUnderTest.StartAsync();
        using var client = server.Client();
        await PostAsync(client, "/api/contexts", new { id = "bench", text = OneKilobyte, schedule = new { on_change = false } });
        await PostAsync(client, "/api/contexts/bench/runs", new { });
        while ((await client.GetAsync("/api/contexts/bench/learned")).StatusCode != HttpStatusCode.OK)
        {
            await Task.Delay(50);
        }

        var body = Encoding.UTF8.GetBytes("""{"question":"What is y?"}""");
        async Task<bool> AskAsync(int _)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            using var response = await client.PostAsync("/api/contexts/bench/queries", content).ConfigureAwait(false);
            await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK;
        }

        IChatClient model = new InstantChatClient();
        ChatMessage[] messages = [new(ChatRole.User, "What is y?")];
        async Task<bool> CallModelAsync(int _) => (await model.GetResponseAsync(messages).ConfigureAwait(false)).Messages.Count > 0;

        Console.WriteLine($"Warm-up: {await LoadGenerator.RunAsync(16, Math.Min(operations, 3_000), AskAsync)}");
        foreach (var clients in clientCounts)
        {
            var count = clients == 1 ? Math.Max(1, operations / 5) : operations;
            var direct = await LoadGenerator.RunAsync(clients, count, CallModelAsync);
            var served = await LoadGenerator.RunAsync(clients, count, AskAsync);
            Console.WriteLine($"model direct  {direct}");
            Console.WriteLine($"server query  {served}");
            Console.WriteLine($"  overhead: p50 {served.P50Ms - direct.P50Ms:F3} ms, p99 {served.P99Ms - direct.P99Ms:F3} ms");
        }
    }

    /// <summary>
    /// Many sleepers changed in one burst: <paramref name="contexts"/> contexts created and, when <paramref name="agents"/>
    /// is set, that many sleep-time agents (set up first) each given a document, interleaved. Every one gets exactly one
    /// run on the one pipeline, and all finish.
    /// </summary>
    public static async Task BurstAsync(int contexts, int concurrency, double debounceSeconds, int agents = 0)
    {
        await using var server = await ServerUnderTest.StartAsync(new Dictionary<string, string>
        {
            ["SleepTime:Scheduling:Concurrency"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SleepTime:Scheduling:Defaults:DebounceSeconds"] = debounceSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var client = server.Client();
        var agentIds = new string[agents];
        if (agents > 0)
        {
            await LoadGenerator.RunAsync(16, agents, async i =>
            {
                var agent = await PostAsync(client, "/api/agents", new { name = $"a{i}", blocks = new[] { new { label = "human", value = "Name: Ada" } } }).ConfigureAwait(false);
                agentIds[i] = agent.GetProperty("id").GetString()!;
                await PostAsync(client, $"/api/agents/{agentIds[i]}/sleeptime-agents", new { every_turns = 0 }).ConfigureAwait(false);
                return true;
            });
        }

        var sleepers = contexts + agents;
        var started = Stopwatch.StartNew();
        var burst = await LoadGenerator.RunAsync(64, sleepers, async i =>
        {
            // Interleaved: every (sleepers / agents)-th change is a document for the next agent.
            using var response = agents > 0 && i % (sleepers / agents) == 0 && i / (sleepers / agents) < agents
                ? await client.PostAsJsonAsync($"/api/agents/{agentIds[i / (sleepers / agents)]}/documents", new { title = "news", text = $"Change {i}: moved to Bergen." }).ConfigureAwait(false)
                : await client.PostAsJsonAsync("/api/contexts", new { id = $"b{i}", text = $"Context {i}: x = {i}. y = 2x." }).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        });
        var burstSeconds = started.Elapsed.TotalSeconds;
        Console.WriteLine($"Burst of {contexts:N0} context creations and {agents:N0} agent documents: {burst}");

        (long Runs, long Succeeded, long Other) counts;
        while (true)
        {
            counts = await CountRunsAsync(server.DataFile);
            if (counts.Succeeded + counts.Other >= sleepers || started.Elapsed > TimeSpan.FromMinutes(5))
            {
                break;
            }

            await Task.Delay(100);
        }

        var doneSeconds = started.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(2, debounceSeconds + 1)));
        var settled = await CountRunsAsync(server.DataFile);
        Console.WriteLine($"Runs: {settled.Runs:N0} ({settled.Succeeded:N0} succeeded, {settled.Other:N0} other) for {contexts:N0} contexts and {agents:N0} agents; " +
            $"burst sent in {burstSeconds:F1} s, all runs final {doneSeconds:F1} s after the burst began " +
            $"(debounce {debounceSeconds} s, {concurrency} runs at once); {(settled.Runs == sleepers && settled.Succeeded == sleepers ? "exactly one run each" : "MISMATCH")}.");
    }

    /// <summary>Rapid changes to one context inside its debounce window: one run.</summary>
    public static async Task DebounceAsync(int changes, double debounceSeconds)
    {
        await using var server = await ServerUnderTest.StartAsync();
        using var client = server.Client();
        var started = Stopwatch.StartNew();
        await PostAsync(client, "/api/contexts", new { id = "busy", text = "start", schedule = new { debounce_seconds = debounceSeconds } });
        for (var i = 1; i < changes; i++)
        {
            await PostAsync(client, "/api/contexts/busy/append", new { text = $"change {i}" });
        }

        var changeSeconds = started.Elapsed.TotalSeconds;
        JsonElement[] runs;
        do
        {
            await Task.Delay(200);
            runs = (await client.GetFromJsonAsync<JsonElement[]>("/api/contexts/busy/runs?limit=1000"))!;
        }
        while (runs.Any(r => r.GetProperty("status").GetString() is "queued" or "running"));

        await Task.Delay(TimeSpan.FromSeconds(debounceSeconds + 1));
        runs = (await client.GetFromJsonAsync<JsonElement[]>("/api/contexts/busy/runs?limit=1000"))!;
        Console.WriteLine($"{changes} changes (creation + {changes - 1} appends) in {changeSeconds:F2} s, debounce {debounceSeconds} s: " +
            $"{runs.Length} run(s): {string.Join(", ", runs.Select(r => $"{r.GetProperty("status").GetString()} of context version {r.GetProperty("context_version")}, coalesced {r.GetProperty("coalesced")}"))}.");
    }

    /// <summary>Resident memory of the server process holding many stored contexts of 1 KB.</summary>
    public static async Task MemoryAsync(int contexts)
    {
        await using var server = await ServerUnderTest.StartAsync();
        using var client = server.Client();
        await Task.Delay(1000);
        var idle = server.ResidentMemoryMiB();
        var load = await LoadGenerator.RunAsync(16, contexts, async i =>
        {
            using var response = await client.PostAsJsonAsync("/api/contexts", new { id = $"m{i}", text = OneKilobyte, schedule = new { on_change = false } }).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        });
        Console.WriteLine($"Stored {contexts:N0} contexts of 1 KB: {load}");
        var afterInsert = server.ResidentMemoryMiB();

        // Read every context back once, so the server has touched all of them.
        var read = await LoadGenerator.RunAsync(16, contexts, async i =>
        {
            using var response = await client.GetAsync($"/api/contexts/m{i}").ConfigureAwait(false);
            await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        });
        Console.WriteLine($"Read them all back: {read}");
        await Task.Delay(2000);
        var afterRead = server.ResidentMemoryMiB();
        var file = new FileInfo(server.DataFile).Length + (File.Exists(server.DataFile + "-wal") ? new FileInfo(server.DataFile + "-wal").Length : 0);
        Console.WriteLine($"Server RSS: idle {idle.Current:F0} MiB; after storing {afterInsert.Current:F0} MiB; after reading all back {afterRead.Current:F0} MiB; peak {afterRead.Peak:F0} MiB. SQLite file + WAL: {file / 1048576.0:F0} MiB.");
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string url, object body)
    {
        using var response = await client.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(text).RootElement.Clone()
            : throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {text}");
    }

    private static async Task<(long Runs, long Succeeded, long Other)> CountRunsAsync(string dataFile)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dataFile, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), COALESCE(SUM(status = 'succeeded'), 0), COALESCE(SUM(status NOT IN ('succeeded', 'queued', 'running')), 0) FROM runs";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }
}
