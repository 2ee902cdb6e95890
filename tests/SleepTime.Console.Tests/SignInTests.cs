using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SleepTime.Console.Tests.Browser;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace SleepTime.Console.Tests;

/// <summary>Signing in and out, a wrong key, and another tenant's ids, in headless Chromium against the real server.</summary>
public sealed class SignInTests(ConsoleBrowser browser, ITestOutputHelper output) : IClassFixture<ConsoleBrowser>
{
    private const string KeyInStorage = "sessionStorage.getItem('sleeptime.console.key')";

    [ChromiumFact]
    public async Task Signing_in_with_a_key_opens_the_page_asked_for_and_signing_out_forgets_the_key()
    {
        var responses = new ApiResponses();
        var page = await browser.NewPageAsync(responses);
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/sign-in"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "sign-in", output);

        await ConsoleBrowser.SignInAsync(page, ConsoleServer.AdminKey);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Exact = true })).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await Expect(page.Locator("#tenant")).ToContainTextAsync("Default tenant");
        Assert.Equal(ConsoleServer.AdminKey, await page.EvaluateAsync<string?>(KeyInStorage));
        await ConsoleBrowser.ScreenshotAsync(page, "overview-empty", output);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>(KeyInStorage));
        responses.AssertNoneRefused();
    }

    [ChromiumFact]
    public async Task A_wrong_key_is_refused_with_a_clear_message_and_nothing_is_kept()
    {
        var responses = new ApiResponses();
        var page = await browser.NewPageAsync(responses);
        await ConsoleBrowser.SignInAsync(page, "st_not_a_key_of_anyone");

        var alert = page.GetByRole(AriaRole.Alert);
        await Expect(alert).ToContainTextAsync("That API key was refused");
        await Expect(alert).ToContainTextAsync("The API key is unknown or revoked.");
        await Expect(page).ToHaveURLAsync(new Regex("/sign-in"));
        Assert.Null(await page.EvaluateAsync<string?>(KeyInStorage));
        await ConsoleBrowser.ScreenshotAsync(page, "sign-in-wrong-key", output);
        Assert.Equal([401], responses.Seen.Select(r => r.Status).Distinct());
    }

    [ChromiumFact]
    public async Task Another_tenants_context_and_agent_show_not_found_and_none_of_their_data()
    {
        using var admin = browser.Server.Client();
        await ConsoleServer.PostOkAsync(admin, "/api/contexts", new { id = "secret-plans", text = "The vault code is 1234." });
        var agent = await ConsoleServer.PostOkAsync(admin, "/api/agents", new { name = "private assistant", instructions = "Be brief.", blocks = new[] { new { label = "human", value = "Name: Ada", limit = 2000 } } });
        var agentId = agent.GetProperty("id").GetString()!;
        var otherKey = await browser.Server.CreateTenantAsync("other-tenant");

        var responses = new ApiResponses();
        var page = await browser.NewPageAsync(responses);
        await ConsoleBrowser.SignInAsync(page, otherKey, "/contexts/secret-plans");
        await Expect(page).ToHaveURLAsync(new Regex("/contexts/secret-plans$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Context 'secret-plans' was not found.");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("1234");
        await ConsoleBrowser.ScreenshotAsync(page, "context-of-another-tenant", output);

        await page.GotoAsync($"/agents/{agentId}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("was not found");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("private assistant");

        // The only refusals are the two ids of the other tenant, each asked once, by the page that shows them.
        responses.AssertNoneRefused(r => r.Status == 404 && (r.Url.EndsWith("/api/contexts/secret-plans?entries=false", StringComparison.Ordinal) || r.Url.EndsWith($"/api/agents/{agentId}", StringComparison.Ordinal)));
    }

    [ChromiumFact]
    public async Task The_keyboard_alone_signs_in_and_opens_a_context_from_the_overview()
    {
        using var admin = browser.Server.Client();
        await ConsoleServer.PostOkAsync(admin, "/api/contexts", new { id = "by-keyboard", text = "Typed, not clicked.", schedule = new { on_change = false } });

        var responses = new ApiResponses();
        var page = await browser.NewPageAsync(responses);
        await page.GotoAsync("/");
        await Expect(page.GetByLabel("API key")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(ConsoleServer.AdminKey);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Exact = true })).ToBeVisibleAsync();

        var link = page.Locator("#contexts a[href='/contexts/by-keyboard']");
        await Expect(link).ToBeVisibleAsync();
        for (var presses = 0; presses < 60 && !await link.EvaluateAsync<bool>("a => a === document.activeElement"); presses++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        await Expect(link).ToBeFocusedAsync();
        Assert.NotEqual("none", await link.EvaluateAsync<string>("a => getComputedStyle(a).outlineStyle"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("/contexts/by-keyboard$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "by-keyboard", Exact = true })).ToBeVisibleAsync();
        responses.AssertNoneRefused();
    }
}
