using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using OpenAI;
using OpenAI.Chat;
using SleepTime.Testing;
using SleepTime.Testing.OpenAiCompatible;

// Usage: dotnet run -c Release --project benchmarks/SleepTime.FacadeBenchmarks -- [--requests 300] [--chunks 24] [--chunk-ms 2]
// Time to first token and total time of one streamed answer, through the official OpenAI SDK: straight to a model
// that streams (the in-process fake OpenAI server) and through the facade to the same model, alternated in one run.
string Option(string name, string fallback)
{
    var index = Array.IndexOf(args, "--" + name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

var requests = int.Parse(Option("requests", "300"), CultureInfo.InvariantCulture);
var chunks = int.Parse(Option("chunks", "24"), CultureInfo.InvariantCulture);
var chunkDelay = TimeSpan.FromMilliseconds(double.Parse(Option("chunk-ms", "2"), CultureInfo.InvariantCulture));
Console.WriteLine($"{Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at start.");

var answer = string.Join(' ', Enumerable.Range(1, chunks).Select(i => "word" + i));
await using var model = await FakeOpenAiServer.StartAsync(_ => FakeReply.Text(answer).StreamedEvery(chunkDelay));
// The real server with its test model configured like any OpenAI-compatible endpoint: the provider stack, over HTTP.
const string AdminKey = "st_facade_benchmark_key";
await using var facade = await LoopbackServer.StartAsync(AdminKey, sleepModel: null, testModel: null, new Dictionary<string, string?>
{
    ["SleepTime:Server:RateLimitPerSecond"] = "1000000",
    ["SleepTime:Server:RateLimitBurst"] = "1000000",
    ["SleepTime:Models:Sleep:Provider"] = "OpenAICompatible",
    ["SleepTime:Models:Sleep:Endpoint"] = model.BaseUrl.ToString(),
    ["SleepTime:Models:Sleep:Model"] = "fake-model",
    ["SleepTime:Models:Sleep:MaxRetries"] = "0",
});

using (var http = new HttpClient { BaseAddress = facade.Url })
{
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
    (await http.PostAsJsonAsync("/api/contexts", new { id = "bench", text = "The tram leaves at 9:40 from the square.", schedule = new { on_change = false } })).EnsureSuccessStatusCode();
}

static ChatClient Sdk(Uri baseUrl, string key, string modelName) =>
    new OpenAIClient(new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = baseUrl, RetryPolicy = new ClientRetryPolicy(maxRetries: 0) }).GetChatClient(modelName);

var direct = Sdk(model.BaseUrl, "fake-key", "fake-model");
var through = Sdk(new Uri(facade.Url, "v1/"), AdminKey, "ctx:bench");
var directTimes = new List<(double First, double Total)>();
var facadeTimes = new List<(double First, double Total)>();
var warmUp = Math.Max(20, requests / 10);
for (var i = 0; i < warmUp + requests; i++)
{
    // Alternated, so both paths see the same machine load.
    var d = await TimeAsync(direct, answer);
    var f = await TimeAsync(through, answer);
    if (i >= warmUp)
    {
        directTimes.Add(d);
        facadeTimes.Add(f);
    }
}

Console.WriteLine($"{requests} streamed answers each way ({chunks} chunks, {chunkDelay.TotalMilliseconds} ms apart), after {warmUp} warm-up pairs.");
Console.WriteLine("| measure | direct p50 | facade p50 | ratio | added | direct p99 | facade p99 | ratio | added |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
Row("time to first token", directTimes.Select(t => t.First).ToList(), facadeTimes.Select(t => t.First).ToList());
Row("total", directTimes.Select(t => t.Total).ToList(), facadeTimes.Select(t => t.Total).ToList());
Console.WriteLine($"Load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end.");
return 0;

static async Task<(double First, double Total)> TimeAsync(ChatClient client, string expected)
{
    var started = Stopwatch.GetTimestamp();
    double? first = null;
    var text = new System.Text.StringBuilder();
    await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("When does the tram leave?")]))
    {
        foreach (var part in update.ContentUpdate)
        {
            if (part.Text.Length > 0)
            {
                first ??= Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                text.Append(part.Text);
            }
        }
    }

    var total = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    return text.ToString() == expected ? (first!.Value, total) : throw new InvalidOperationException($"Unexpected answer: {text}");
}

static void Row(string name, List<double> direct, List<double> facade)
{
    var (d50, f50, d99, f99) = (Percentile(direct, 0.50), Percentile(facade, 0.50), Percentile(direct, 0.99), Percentile(facade, 0.99));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {d50:0.00} ms | {f50:0.00} ms | {f50 / d50:0.00}× | {f50 - d50:+0.00;-0.00} ms | {d99:0.00} ms | {f99:0.00} ms | {f99 / d99:0.00}× | {f99 - d99:+0.00;-0.00} ms |"));
}

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
