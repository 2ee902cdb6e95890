// Speed and memory of the local provider on one GGUF model: time to first token, prompt and generation tokens per
// second through LocalChatClient (streaming, greedy), prompt scoring through the log-probability API, and the memory
// one loaded model takes. Usage:
//   dotnet run -c Release --project benchmarks/SleepTime.LocalModelBenchmarks -- <model.gguf> [threads...] [--runs N]
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using SleepTime.Providers.Local;
using SleepTime.Providers.Local.LogProbabilities;

var positional = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || !args[i - 1].StartsWith("--", StringComparison.Ordinal))).ToList();
if (positional.Count == 0)
{
    Console.Error.WriteLine("usage: SleepTime.LocalModelBenchmarks <model.gguf> [threads...] [--runs N] [--context N] [--prompt-tokens N] [--output-tokens N]");
    return 2;
}

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}

var path = Path.GetFullPath(positional[0]);
var threadCounts = positional.Skip(1).Where(a => int.TryParse(a, out _)).Select(int.Parse).DefaultIfEmpty(1).ToList();
var runs = Option("--runs", 10);
var contextSize = Option("--context", 512);
var promptTokens = Option("--prompt-tokens", 256);
var outputTokens = Option("--output-tokens", 128);

// Load llama.cpp and run one call first, so that neither its code nor the JIT's work counts as the first model's memory.
using (var warmUp = LocalModel.Load(new LocalModelSettings(path, contextSize, 1, MaxContexts: 1)))
using (var warmUpClient = new LocalChatClient(warmUp, "warm-up"))
{
    await warmUpClient.GetResponseAsync("Once upon a time", new ChatOptions { MaxOutputTokens = 4 });
    await new LocalPromptLogProbabilities(warmUp).GetLogProbabilitiesAsync("Once", " upon a time");
}

Console.WriteLine($"model {path} ({new FileInfo(path).Length / 1024.0:0} KiB), context {contextSize}, ~{promptTokens} prompt tokens, {outputTokens} output tokens, {runs} runs (median), {Environment.ProcessorCount} processors");
Console.WriteLine();
Console.WriteLine("| threads | load | memory of the loaded model | prompt tokens | output tokens | time to first token | prompt tok/s | generation tok/s | scoring tok/s |");
Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");

foreach (var threads in threadCounts)
{
    var before = ResidentBytes();
    var loading = Stopwatch.StartNew();
    using var model = LocalModel.Load(new LocalModelSettings(path, contextSize, threads, MaxContexts: 1));
    var loaded = loading.Elapsed;
    using var client = new LocalChatClient(model, Path.GetFileNameWithoutExtension(path));
    var scorer = new LocalPromptLogProbabilities(model);
    await client.GetResponseAsync("Once", new ChatOptions { MaxOutputTokens = 1 }); // creates the one context
    var memory = ResidentBytes() - before;

    // A prompt of about promptTokens tokens (the chat template adds a few).
    var sentence = "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. ";
    var prompt = string.Concat(Enumerable.Repeat(sentence, Math.Max(1, promptTokens / Math.Max(1, model.CountTokens(sentence)))));
    var options = new ChatOptions { Temperature = 0, MaxOutputTokens = outputTokens };

    var firstTokens = new List<double>();
    var promptRates = new List<double>();
    var generationRates = new List<double>();
    var scoringRates = new List<double>();
    long inputTokens = 0;
    var outputCounts = new List<double>();
    for (var run = -2; run < runs; run++) // two warm-up runs
    {
        var clock = Stopwatch.StartNew();
        TimeSpan? first = null;
        UsageDetails? usage = null;
        await foreach (var update in client.GetStreamingResponseAsync(prompt, options))
        {
            first ??= !string.IsNullOrEmpty(update.Text) ? clock.Elapsed : null;
            usage = update.Contents.OfType<UsageContent>().FirstOrDefault()?.Details ?? usage;
        }

        var total = clock.Elapsed;
        clock.Restart();
        var scored = await scorer.GetLogProbabilitiesAsync(sentence, prompt);
        var scoring = clock.Elapsed;
        if (run < 0 || first is null || usage is null)
        {
            continue;
        }

        inputTokens = usage.InputTokenCount!.Value;
        outputCounts.Add(usage.OutputTokenCount!.Value);
        firstTokens.Add(first.Value.TotalMilliseconds);
        promptRates.Add(usage.InputTokenCount!.Value / first.Value.TotalSeconds);
        generationRates.Add((usage.OutputTokenCount!.Value - 1) / (total - first.Value).TotalSeconds);
        scoringRates.Add((model.CountTokens(sentence) + scored.Length) / scoring.TotalSeconds);
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {threads} | {loaded.TotalMilliseconds:0} ms | {memory / 1048576.0:0.0} MiB | {inputTokens} | {Median(outputCounts):0} | {Median(firstTokens):0.0} ms | {Median(promptRates):0} | {Median(generationRates):0} | {Median(scoringRates):0} |"));
}

return 0;

static double Median(List<double> values)
{
    if (values.Count == 0)
    {
        return double.NaN;
    }

    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

// The process's resident memory after a full collection, so managed garbage does not count.
static long ResidentBytes()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    using var process = Process.GetCurrentProcess();
    process.Refresh();
    return process.WorkingSet64;
}
