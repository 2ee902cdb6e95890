using System.Net.Http.Json;
using Microsoft.Playwright;
using SleepTime.Console.Tests.Browser;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace SleepTime.Console.Tests;

/// <summary>An agent in the console: blocks with confirmed lines marked, sleep-time agents, runs, and change-set review.</summary>
public sealed class AgentPageTests(ConsoleBrowser browser, ITestOutputHelper output) : IClassFixture<ConsoleBrowser>
{
    [ChromiumFact]
    public async Task Approving_a_pending_change_set_shows_the_block_changed_and_a_refused_revert_shows_the_conflict()
    {
        using var api = browser.Server.Client();
        var agent = await ConsoleServer.PostOkAsync(api, "/api/agents", new
        {
            name = "assistant",
            instructions = "Be brief.",
            blocks = new[] { new { label = "human", value = "Name: Ada\n[confirmed] Likes tea", limit = 2000 } },
        });
        var agentId = agent.GetProperty("id").GetString()!;
        var blockId = agent.GetProperty("block_ids")[0].GetString()!;
        var sleeper = await ConsoleServer.PostOkAsync(api, $"/api/agents/{agentId}/sleeptime-agents", new { name = "memory", every_turns = 0, require_review = true });
        await ConsoleServer.PostOkAsync(api, $"/api/agents/{agentId}/messages", new { message = "I prefer mornings." });
        var run = await ConsoleServer.PostOkAsync(api, $"/api/sleeptime-agents/{sleeper.GetProperty("id").GetString()}/runs", new { });
        var finished = await ConsoleServer.WaitForFinalRunAsync(api, $"/api/sleeptime-runs/{run.GetProperty("id").GetString()}");
        var changeSetId = finished.GetProperty("change_set_id").GetString()!;
        Assert.Equal("pending", (await ConsoleServer.GetOkAsync(api, $"/api/changes/{changeSetId}")).GetProperty("status").GetString());

        var responses = new ApiResponses();
        var page = await browser.NewPageAsync(responses);
        await ConsoleBrowser.SignInAsync(page, ConsoleServer.AdminKey, $"/agents/{agentId}");
        var block = page.Locator($"[data-block-id='{blockId}']");
        await Expect(block.Locator("li.confirmed")).ToHaveCountAsync(1);
        await Expect(block.Locator("li.confirmed")).ToContainTextAsync("[confirmed] Likes tea");
        await Expect(block).Not.ToContainTextAsync(ConsoleServer.AgentFact);
        await Expect(page.Locator("#sleepers")).ToContainTextAsync("memory");
        await Expect(page.Locator($"#runs-table tr[data-run-id='{run.GetProperty("id").GetString()}'] [data-status=succeeded]")).ToBeVisibleAsync();

        var change = page.Locator($"[data-change-set-id='{changeSetId}']");
        await Expect(change.Locator(".udiff .ins")).ToContainTextAsync(ConsoleServer.AgentFact);
        await Expect(change).ToContainTextAsync("messages msg-");
        await ConsoleBrowser.ScreenshotAsync(page, "agent-pending-change", output);

        await change.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Expect(page.Locator($"[data-change-set-id='{changeSetId}'][data-status=committed]")).ToBeVisibleAsync();
        await Expect(block.Locator("li").Last).ToHaveTextAsync(ConsoleServer.AgentFact);
        await Expect(block.Locator("li.confirmed")).ToHaveCountAsync(1);
        var stored = await ConsoleServer.GetOkAsync(api, $"/api/blocks/{blockId}");
        Assert.Equal($"Name: Ada\n[confirmed] Likes tea\n{ConsoleServer.AgentFact}", stored.GetProperty("value").GetString());
        await ConsoleBrowser.ScreenshotAsync(page, "agent", output);

        // The block moves on (edited by hand), so reverting the change set is refused and the page shows the conflict.
        using (var edit = await api.PutAsJsonAsync($"/api/blocks/{blockId}", new { value = "Name: Ada\n[confirmed] Likes tea\nPrefers evenings", expected_version = stored.GetProperty("version").GetInt64() }, ConsoleServer.Json))
        {
            Assert.True(edit.IsSuccessStatusCode, await edit.Content.ReadAsStringAsync());
        }

        var committed = page.Locator($"[data-change-set-id='{changeSetId}']");
        await committed.GetByRole(AriaRole.Button, new() { Name = "Revert" }).ClickAsync();
        var conflict = committed.GetByRole(AriaRole.Alert);
        await Expect(conflict).ToContainTextAsync("Not reverted: a block moved on since this change");
        await Expect(conflict).ToContainTextAsync("human");
        await Expect(conflict).ToContainTextAsync("Prefers evenings");
        await Expect(block.Locator("li").Last).ToHaveTextAsync("Prefers evenings");
        Assert.Equal("committed", (await ConsoleServer.GetOkAsync(api, $"/api/changes/{changeSetId}")).GetProperty("status").GetString());
        await ConsoleBrowser.ScreenshotAsync(page, "agent-revert-conflict", output);

        // The one refusal is the revert the API refused, which the page shows as the conflict.
        responses.AssertNoneRefused(r => r.Status == 409 && r.Method == "POST" && r.Url.EndsWith($"/api/changes/{changeSetId}/revert", StringComparison.Ordinal));
    }
}
