using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace SleepTime.Console.Tests;

/// <summary>The console's files: served from the server assembly without a key, complete, revalidated by ETag.</summary>
public sealed partial class ConsoleAssetsTests : IAsyncLifetime
{
    private ConsoleServer server = null!;

    public async Task InitializeAsync() => server = await ConsoleServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Every_console_address_returns_the_shell_without_a_key_and_the_api_still_needs_one()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(server.Url) };
        var shell = await anonymous.GetStringAsync("/");
        Assert.Contains("<script type=\"module\" src=\"/console/app.js\">", shell, StringComparison.Ordinal);
        foreach (var path in new[] { "/sign-in", "/contexts/handbook", "/agents/agent-1" })
        {
            using var response = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Equal(shell, await response.Content.ReadAsStringAsync());
        }

        using var api = await anonymous.GetAsync("/api/overview");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Every_file_the_shell_and_its_modules_load_is_served_with_its_type_from_the_assembly()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(server.Url) };
        var pending = new Queue<string>(AssetReference().Matches(await anonymous.GetStringAsync("/")).Select(m => m.Groups["path"].Value));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryDequeue(out var path))
        {
            if (!seen.Add(path))
            {
                continue;
            }

            using var response = await anonymous.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            var type = response.Content.Headers.ContentType?.MediaType;
            Assert.Equal(path.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : "text/css", type);
            Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
            if (type == "text/javascript")
            {
                var folder = path[..(path.LastIndexOf('/') + 1)];
                foreach (Match import in ModuleImport().Matches(await response.Content.ReadAsStringAsync()))
                {
                    pending.Enqueue(new Uri(new Uri("http://x" + folder), import.Groups["path"].Value).AbsolutePath);
                }

                foreach (Match asset in AssetReference().Matches(await response.Content.ReadAsStringAsync()))
                {
                    pending.Enqueue(asset.Groups["path"].Value);
                }
            }
        }

        Assert.Contains("/console/pages/context.js", seen);
        Assert.Contains("/console/vendor/uPlot.iife.min.js", seen);
        Assert.Contains("MIT", await anonymous.GetStringAsync("/console/vendor/uPlot.LICENSE.txt"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/console/missing.js")).StatusCode);
    }

    [Fact]
    public async Task A_file_the_browser_already_has_is_answered_not_modified()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(server.Url) };
        using var first = await anonymous.GetAsync("/console/app.js");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/console/app.js");
        again.Headers.IfNoneMatch.Add(etag);
        using var cached = await anonymous.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, cached.StatusCode);
        Assert.Empty(await cached.Content.ReadAsByteArrayAsync());

        using var stale = new HttpRequestMessage(HttpMethod.Get, "/console/app.js");
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
        using var fresh = await anonymous.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await fresh.Content.ReadAsByteArrayAsync());
    }

    [GeneratedRegex("""(?:src|href)[=:] *["'](?<path>/console/[^"']+)["']""")]
    private static partial Regex AssetReference();

    [GeneratedRegex("""(?:import|from) *['"](?<path>\.{1,2}/[^'"]+)['"]""")]
    private static partial Regex ModuleImport();
}
