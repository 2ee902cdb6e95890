using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SleepTime.Console.Tests.Browser;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace SleepTime.Console.Tests;

/// <summary>A context in the console: create, sleep (live, without a reload), versions and their diff, ask, schedule, overview.</summary>
public sealed class ContextPageTests(ConsoleBrowser browser, ITestOutputHelper output) : IClassFixture<ConsoleBrowser>
{
    [ChromiumFact]
    public async Task A_long_context_is_read_from_the_server_a_page_at_a_time()
    {
        using (var client = browser.Server.Client())
        {
            var turns = Enumerable.Range(0, 25).Select(i => new { role = i % 2 == 0 ? "user" : "assistant", text = $"turn {i}" }).ToArray();
            await ConsoleServer.PostOkAsync(client, "/api/contexts", new { id = "long-talk", kind = "conversation", content = turns, schedule = new { on_change = false } });
        }

        var responses = new ApiResponses();
        var page = await browser.NewPageAsync(responses);
        await ConsoleBrowser.SignInAsync(page, ConsoleServer.AdminKey, "/contexts/long-talk");
        var content = page.Locator("#content");
        await Expect(content).ToContainTextAsync("Entries 1–20 of 25");
        await Expect(content.Locator("tbody tr")).ToHaveCountAsync(20);

        await content.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();

        await Expect(content).ToContainTextAsync("Entries 21–25 of 25");
        await Expect(content.Locator("tbody tr")).ToHaveCountAsync(5);
        await Expect(content.Locator("tbody tr").First).ToContainTextAsync("turn 20");
        await Expect(content.GetByRole(AriaRole.Button, new() { Name = "Next" })).ToBeDisabledAsync();
        Assert.Contains(responses.Seen, r => r.Status == 200 && r.Url.EndsWith("/api/contexts/long-talk/entries?offset=20&limit=20", StringComparison.Ordinal));
        responses.AssertNoneRefused();
    }

    [ChromiumFact]
    public async Task A_context_created_in_the_console_sleeps_live_from_queued_to_succeeded_and_its_versions_diff_side_by_side()
    {
        var responses = new ApiResponses();
        var page = await browser.NewPageAsync(responses);
        await ConsoleBrowser.SignInAsync(page, ConsoleServer.AdminKey);
        browser.Server.SleepModel.Hold();

        await page.GetByLabel("Id (optional)").FillAsync("handbook");
        await page.GetByLabel("Text", new() { Exact = true }).FillAsync("x = 3. y = 2x.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create context" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/contexts/handbook$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "handbook", Exact = true })).ToBeVisibleAsync();
        await page.EvaluateAsync("window.sameDocument = true");

        // The create's change trigger starts the first run, which the model holds; a manual trigger now waits queued.
        await Expect(page.Locator("#runs-table [data-status=running]")).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sleep now" }).ClickAsync();
        var queued = page.Locator("#runs-table tr:has([data-status=queued])");
        await Expect(queued).ToHaveCountAsync(1);
        var second = await queued.GetAttributeAsync("data-run-id");
        Assert.NotNull(second);
        await ConsoleBrowser.ScreenshotAsync(page, "context-run-queued", output);

        using (var client = browser.Server.Client())
        {
            await ConsoleServer.PostOkAsync(client, "/api/contexts/handbook/append", new { text = "z = y + 1." });
        }

        browser.Server.SleepModel.Release();
        await Expect(page.Locator($"#runs-table tr[data-run-id='{second}'] [data-status=succeeded]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        Assert.True(await page.EvaluateAsync<bool>("window.sameDocument === true"), "the page was reloaded");
        await Expect(page.Locator("#runs-table [data-status=succeeded]")).ToHaveCountAsync(2);
        await Expect(page.Locator("#versions tr[data-version]")).ToHaveCountAsync(2);

        using var api = browser.Server.Client();
        var first = (await ConsoleServer.GetOkAsync(api, "/api/contexts/handbook/learned/1")).GetProperty("blocks")[0].GetProperty("value").GetString()!;
        var latest = (await ConsoleServer.GetOkAsync(api, "/api/contexts/handbook/learned/2")).GetProperty("blocks")[0].GetProperty("value").GetString()!;
        Assert.NotEqual(first, latest);
        await Expect(page.Locator("#learned")).ToContainTextAsync(latest);

        await page.Locator("#diff-from").SelectOptionAsync("1");
        await page.Locator("#diff-to").SelectOptionAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();
        await Expect(page.Locator("#diff-view table.diff")).ToBeVisibleAsync();
        await Expect(page.Locator("#diff-view td.del")).ToContainTextAsync([first]);
        await Expect(page.Locator("#diff-view td.ins")).ToContainTextAsync([latest]);
        await page.Locator("#versions").ScrollIntoViewIfNeededAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "context", output);
        responses.AssertNoneRefused();
    }

    [ChromiumFact]
    public async Task Asking_at_a_budget_shows_the_answer_and_its_tokens_beside_the_baseline_and_the_schedule_saves()
    {
        browser.Server.SleepModel.Release();
        using var api = browser.Server.Client();
        await ConsoleServer.PostOkAsync(api, "/api/contexts", new { id = "physics", text = "A ball falls 5 m in the first second.", schedule = new { on_change = false } });
        var run = await ConsoleServer.PostOkAsync(api, "/api/contexts/physics/runs", new { });
        await ConsoleServer.WaitForFinalRunAsync(api, $"/api/runs/{run.GetProperty("id").GetString()}");

        var responses = new ApiResponses();
        var page = await browser.NewPageAsync(responses);
        await ConsoleBrowser.SignInAsync(page, ConsoleServer.AdminKey, "/contexts/physics");
        await page.GetByLabel("Question").FillAsync("How far does it fall in two seconds?");
        await page.GetByLabel("Verbosity (0-4)").SelectOptionAsync("1");
        await page.GetByLabel("Max output tokens").FillAsync("200");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ask", Exact = true }).ClickAsync();

        var sleepTime = page.Locator("[data-arm=sleep_time]");
        var baseline = page.Locator("[data-arm=baseline]");
        await Expect(sleepTime).ToContainTextAsync("The answer is 42.");
        await Expect(baseline).ToContainTextAsync("The answer is 42.");
        await Expect(sleepTime).ToContainTextAsync("1,200");
        await Expect(sleepTime.Locator("dd").Nth(4)).ToHaveTextAsync("1");
        await Expect(page.Locator("#queries tbody tr")).ToHaveCountAsync(2);

        var queries = await ConsoleServer.GetOkAsync(api, "/api/contexts/physics/queries");
        Assert.Equal(["baseline", "sleep_time"], queries.EnumerateArray().Select(q => q.GetProperty("arm").GetString()).Order());
        Assert.All(queries.EnumerateArray(), q => Assert.Equal(1, q.GetProperty("verbosity").GetInt32()));

        await page.GetByLabel("Every N user turns").FillAsync("3");
        await page.GetByLabel("Cron (Quartz)").FillAsync("not a cron");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save schedule" }).ClickAsync();
        await Expect(page.Locator("#schedule [role=alert]")).ToContainTextAsync("cron");
        await page.GetByLabel("Cron (Quartz)").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save schedule" }).ClickAsync();
        await Expect(page.Locator("#schedule")).ToContainTextAsync("Schedule saved.");
        var schedule = await ConsoleServer.GetOkAsync(api, "/api/contexts/physics/schedule");
        Assert.Equal((3, false), (schedule.GetProperty("every_turns").GetInt32(), schedule.GetProperty("on_change").GetBoolean()));
        await ConsoleBrowser.ScreenshotAsync(page, "context-ask", output);

        // The one refusal is the invalid cron the test typed, shown on the page as the problem's detail.
        responses.AssertNoneRefused(r => r.Status == 400 && r.Method == "PUT" && r.Url.EndsWith("/api/contexts/physics/schedule", StringComparison.Ordinal));
    }

    [ChromiumFact]
    public async Task The_overview_counts_contexts_and_runs_and_draws_the_usage_chart()
    {
        browser.Server.SleepModel.Release();
        using var api = browser.Server.Client();
        foreach (var id in new[] { "overview-a", "overview-b" })
        {
            await ConsoleServer.PostOkAsync(api, "/api/contexts", new { id, text = $"Facts of {id}.", schedule = new { on_change = false } });
            var run = await ConsoleServer.PostOkAsync(api, $"/api/contexts/{id}/runs", new { });
            await ConsoleServer.WaitForFinalRunAsync(api, $"/api/runs/{run.GetProperty("id").GetString()}");
        }

        var expected = await ConsoleServer.GetOkAsync(api, "/api/overview");
        var responses = new ApiResponses();
        var page = await browser.NewPageAsync(responses);
        await ConsoleBrowser.SignInAsync(page, ConsoleServer.AdminKey);
        await Expect(page.Locator("[data-stat=contexts] .value")).ToHaveTextAsync(expected.GetProperty("contexts").GetInt64().ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("en-US")));
        await Expect(page.Locator("[data-stat=sleep-today] .value")).ToHaveTextAsync(expected.GetProperty("sleep_tokens_today").GetInt64().ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("en-US")));
        await Expect(page.Locator("#contexts a[href='/contexts/overview-a']")).ToBeVisibleAsync();
        await Expect(page.Locator("#usage-chart canvas")).ToBeVisibleAsync();
        await Expect(page.Locator("#runs [data-status=succeeded]").First).ToBeVisibleAsync();

        await page.Locator("#contexts a[href='/contexts/overview-a']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/contexts/overview-a$"));
        await page.GoBackAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("#usage-chart canvas")).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "overview", output);

        var narrow = await browser.NewPageAsync(width: 390, height: 844);
        await ConsoleBrowser.SignInAsync(narrow, ConsoleServer.AdminKey);
        await Expect(narrow.Locator("[data-stat=contexts]")).ToBeVisibleAsync();
        Assert.True(await narrow.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the overview scrolls sideways on a narrow window");
        await ConsoleBrowser.ScreenshotAsync(narrow, "overview-narrow", output);
        responses.AssertNoneRefused();
    }

    [ChromiumFact]
    public async Task A_dropped_event_stream_resumes_with_the_last_event_id_and_shows_what_happened_meanwhile()
    {
        browser.Server.SleepModel.Release();
        using var api = browser.Server.Client();
        await ConsoleServer.PostOkAsync(api, "/api/contexts", new { id = "resume", text = "a = 1.", schedule = new { on_change = false } });
        var first = await ConsoleServer.PostOkAsync(api, "/api/contexts/resume/runs", new { });
        var firstId = first.GetProperty("id").GetString()!;
        await ConsoleServer.WaitForFinalRunAsync(api, $"/api/runs/{firstId}");
        var (lastSeen, lastData) = await SucceededEventAsync(api, "/api/contexts/resume/events", firstId);

        // The page's first stream is held, then answered with the first run's real event and closed: a dropped stream
        // whose last id is known. Every later request reaches the server.
        var page = await browser.NewPageAsync();
        var held = new TaskCompletionSource<IRoute>(TaskCreationOptions.RunContinuationsAsynchronously);
        var resumedFrom = new System.Collections.Concurrent.ConcurrentQueue<string?>();
        await page.RouteAsync("**/api/contexts/resume/events", async route =>
        {
            if (!held.TrySetResult(route))
            {
                route.Request.Headers.TryGetValue("last-event-id", out var id);
                resumedFrom.Enqueue(id);
                await route.ContinueAsync();
            }
        });
        await ConsoleBrowser.SignInAsync(page, ConsoleServer.AdminKey, "/contexts/resume");
        var stream = await held.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await Expect(page.Locator($"#runs-table tr[data-run-id='{firstId}'] [data-status=succeeded]")).ToBeVisibleAsync();

        await ConsoleServer.PostOkAsync(api, "/api/contexts/resume/append", new { text = "b = 2." });
        var missed = await ConsoleServer.PostOkAsync(api, "/api/contexts/resume/runs", new { });
        var missedId = missed.GetProperty("id").GetString()!;
        await ConsoleServer.WaitForFinalRunAsync(api, $"/api/runs/{missedId}");
        await Expect(page.Locator($"#runs-table tr[data-run-id='{missedId}']")).ToHaveCountAsync(0);

        await stream.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/event-stream", Body = $"event: ready\ndata: {{}}\n\nid: {lastSeen}\nevent: run.succeeded\ndata: {lastData}\n\n" });
        await Expect(page.Locator($"#runs-table tr[data-run-id='{missedId}'] [data-status=succeeded]")).ToBeVisibleAsync();
        await Expect(page.Locator("#live")).ToHaveTextAsync("● live");
        await Expect(page.Locator("#versions tr[data-version]")).ToHaveCountAsync(2);
        Assert.Equal(lastSeen, resumedFrom.First());
    }

    /// <summary>The id and data line of a run's <c>run.succeeded</c> event, read from the start of the stream's log.</summary>
    private static async Task<(string Id, string Data)> SucceededEventAsync(HttpClient api, string url, string runId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Last-Event-ID", "0");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        string? id = null, type = null;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && type == "run.succeeded" && id is not null && line.Contains(runId, StringComparison.Ordinal))
            {
                return (id, line[6..]);
            }
        }

        throw new InvalidOperationException($"{url} ended without the run.succeeded event of {runId}.");
    }
}
