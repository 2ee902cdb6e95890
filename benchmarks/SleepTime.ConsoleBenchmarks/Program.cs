// First load of the console's overview with a large tenant: 1,000 contexts and 10,000 runs (and a ledger row per run)
// seeded through the storage layer, then N cold loads in headless Chromium (a new browser context each: empty cache).
// Reports bytes transferred (encoded, as on the wire, from the DevTools protocol) and time to interactive (the page's
// own clock: from navigation start until the totals, the context list, the recent runs and the chart are on screen).
//   dotnet run -c Release --project benchmarks/SleepTime.ConsoleBenchmarks [-- --loads 7 --contexts 1000 --runs 10000]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Playwright;
using SleepTime;
using SleepTime.Server;
using SleepTime.Storage;
using SleepTime.Testing;

var loads = Option("--loads", 7);
var contexts = Option("--contexts", 1000);
var runs = Option("--runs", 10_000);
var chromium = Environment.GetEnvironmentVariable("SLEEPTIME_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
if (!File.Exists(chromium))
{
    Console.Error.WriteLine($"No Chromium at {chromium}: install Debian's chromium package or set SLEEPTIME_CHROMIUM.");
    return 2;
}

const string AdminKey = "st_console_benchmark_key";
var path = Path.Combine(Path.GetTempPath(), "sleeptime-console-benchmark-" + Guid.NewGuid().ToString("N") + ".db");
var seeding = Stopwatch.StartNew();
await using (var database = new SleepTimeDatabase(new StorageOptions { Provider = StorageProvider.Sqlite, SqlitePath = path }))
{
    await Migrator.MigrateAsync(database);
    var tenants = new TenantStore(database);
    await tenants.CreateTenantAsync("default", "Default tenant");
    await tenants.CreateKeyAsync("default", "benchmark", isAdmin: true, key: AdminKey);
    var store = new TenantContextStore(database, "default");
    var runStore = new RunStore(database);
    var ledger = new UsageLedger(database);
    var statuses = new[] { RunStatus.Succeeded, RunStatus.Succeeded, RunStatus.Succeeded, RunStatus.Skipped, RunStatus.Failed, RunStatus.Cancelled };
    for (var c = 0; c < contexts; c++)
    {
        var id = $"context-{c:D4}";
        await store.CreateAsync(ContextKind.Document, [new ContextInput($"Document {c}: " + string.Concat(Enumerable.Repeat("Facts about the world. ", 20)))], id, schedule: null);
        for (var r = c; r < runs; r += contexts)
        {
            var run = await runStore.EnqueueAsync("default", SleeperKind.Context, id, id, TriggerKinds.Change, DateTimeOffset.UtcNow, reschedule: false);
            await runStore.FinishQueuedAsync("default", run.Run.Id, statuses[r % statuses.Length], "seeded by the console benchmark");
            await ledger.RecordTurnAsync("default", id, new TokenUsage(800 + r % 100, 120, 0, 0, false));
        }
    }
}

Console.WriteLine($"Seeded {contexts:N0} contexts and {runs:N0} runs (+ {runs:N0} ledger rows) in {seeding.Elapsed.TotalSeconds:F1} s.");

await using var server = await LoopbackServer.StartAsync(AdminKey, new InstantChatClient(), new InstantChatClient(), new Dictionary<string, string?> { ["SleepTime:Server:RateLimitPerSecond"] = "0" }, path);
var url = server.Url.ToString().TrimEnd('/');

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = chromium,
    Headless = true,
    Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});

var results = new List<(double Interactive, long Bytes, int Requests)>();
for (var load = 0; load <= loads; load++)
{
    await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 }, BaseURL = url });
    await context.AddInitScriptAsync($"sessionStorage.setItem('sleeptime.console.key', {JsonSerializer.Serialize(AdminKey)}); sessionStorage.setItem('sleeptime.console.tenant', 'Default tenant');");
    var page = await context.NewPageAsync();
    var cdp = await context.NewCDPSessionAsync(page);
    long bytes = 0;
    var requests = 0;
    cdp.Event("Network.loadingFinished").OnEvent += (_, e) =>
    {
        if (e is { } payload && payload.TryGetProperty("encodedDataLength", out var length))
        {
            Interlocked.Add(ref bytes, (long)length.GetDouble());
            Interlocked.Increment(ref requests);
        }
    };
    await cdp.SendAsync("Network.enable");
    await cdp.SendAsync("Network.setCacheDisabled", new Dictionary<string, object> { ["cacheDisabled"] = true });

    await page.GotoAsync("/");
    await page.Locator("[data-stat=contexts] .value").WaitForAsync();
    await page.Locator("#contexts tbody tr").Nth(49).WaitForAsync();
    await page.Locator("#runs tbody tr").Nth(19).WaitForAsync();
    await page.Locator("#usage-chart canvas").First.WaitForAsync();
    var interactive = await page.EvaluateAsync<double>("performance.now()");
    var shown = await page.Locator("[data-stat=contexts] .value").TextContentAsync();
    if (shown != contexts.ToString("N0", CultureInfo.GetCultureInfo("en-US")))
    {
        throw new InvalidOperationException($"The overview shows {shown} contexts, expected {contexts}.");
    }

    // The event stream stays open; every other response has finished by now. Give late loadingFinished events a moment.
    await page.WaitForTimeoutAsync(300);
    if (load > 0)
    {
        // Load 0 warms the server (JIT, SQLite page cache) and is not counted.
        results.Add((interactive, Interlocked.Read(ref bytes), requests));
        Console.WriteLine($"load {load}: {interactive:F0} ms to interactive, {Interlocked.Read(ref bytes) / 1024.0:F1} KiB in {requests} responses");
    }
}

var ordered = results.Select(r => r.Interactive).Order().ToList();
Console.WriteLine($"Overview, first load, {contexts:N0} contexts / {runs:N0} runs: median {ordered[ordered.Count / 2]:F0} ms to interactive (max {ordered[^1]:F0} ms), {results.Max(r => r.Bytes) / 1024.0:F1} KiB transferred (max over {results.Count} cold loads; targets: < 1,000 ms, < 500 KB).");
return 0; // disposing the server deletes the seeded file

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
