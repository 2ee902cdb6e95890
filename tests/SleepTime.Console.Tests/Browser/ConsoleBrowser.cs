using Microsoft.Playwright;
using SleepTime.Testing.Conditions;

namespace SleepTime.Console.Tests.Browser;

/// <summary>
/// One server and one headless Chromium per test class (a class fixture): each test opens its own browser context
/// (its own session storage) at 1280x800. Every /api response a page gets is recorded, so a test can assert that the
/// console made no request the API refused.
/// </summary>
public sealed class ConsoleBrowser : IAsyncLifetime
{
    private IPlaywright? playwright;

    public ConsoleServer Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary><c>TestResults/console-screenshots/</c> at the repository root (or beside the test binaries outside a checkout).</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(RepositoryPaths.TryRoot ?? AppContext.BaseDirectory, "TestResults", "console-screenshots");

    public async Task InitializeAsync()
    {
        Server = await ConsoleServer.StartAsync();
        if (Chromium.MissingReason() is not null)
        {
            return;
        }

        // Generous: the machine running the tests may be loaded; an assertion still passes as soon as it holds.
        Assertions.SetDefaultExpectTimeout(30_000);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath,
            Headless = true,
            Args = Chromium.Arguments,
            Timeout = 60_000,
        });
    }

    /// <summary>A fresh page (new browser context) at 1280x800 whose /api responses are recorded in <paramref name="responses"/>.</summary>
    public async Task<IPage> NewPageAsync(ApiResponses? responses = null, int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, BaseURL = Server.Url });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        if (responses is not null)
        {
            page.Response += (_, response) =>
            {
                if (new Uri(response.Url).AbsolutePath.StartsWith("/api/", StringComparison.Ordinal))
                {
                    responses.Seen.Enqueue((response.Request.Method, response.Url, response.Status));
                }
            };
        }

        return page;
    }

    /// <summary>Opens the console and signs in with <paramref name="key"/> through the sign-in form.</summary>
    public static async Task SignInAsync(IPage page, string key, string path = "/")
    {
        await page.GotoAsync(path);
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Saves a screenshot of the page under <see cref="ScreenshotFolder"/> and prints its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name, Xunit.Abstractions.ITestOutputHelper output)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var file = Path.Combine(ScreenshotFolder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        output.WriteLine($"Screenshot: {file}");
        System.Console.WriteLine($"Screenshot: {file}");
        return file;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
