using System.Net.Http.Headers;
using System.Text;

namespace SleepTime.Server.Tests;

/// <summary>Generated malformed requests (seeded, so a failure reproduces): none may make the server answer 5xx.</summary>
public sealed class FuzzTests : IAsyncLifetime
{
    private static readonly string[] Paths =
    [
        "/api/contexts", "/api/contexts/fz", "/api/contexts/fz/append", "/api/contexts/fz/queries", "/api/contexts/fz/runs",
        "/api/contexts/fz/learned", "/api/contexts/fz/learned/diff?from=x&to=-1", "/api/contexts/fz/learned/99999999999999999999",
        "/api/contexts/fz/schedule", "/api/contexts/fz/usage", "/api/runs/%25", "/api/runs/run_x/cancel", "/api/tenants",
        "/api/tenants/me/keys", "/v1/chat/completions", "/v1/models", "/api/contexts/%2e%2e%2f", "/api/contexts?limit=-5&cursor=%ff",
        "/api/contexts/" + new string('a', 300), "/api/runs?status=weird", "/api/contexts/fz/queries?limit=0",
    ];

    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", "\"", ":", ",", "null", "true", "1e999", "-0", "99999999999999999999999", "\"text\"", "\"content\"",
        "\"question\"", "\"budget\"", "\"verbosity\"", "\"role\"", "\"kind\"", "\"schedule\"", "\"cron\"", "\"* * *\"", "\"model\"",
        "\"ctx:fz\"", "\"messages\"", "\"\\u0000\"", "NaN", "\"id\"", "\"../x\"", "{\"a\":", "\"max_tokens\"", "\"stream\"",
    ];

    private readonly ServerFactory factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task A_thousand_malformed_requests_get_no_5xx()
    {
        var client = factory.Client();
        await client.PostOkAsync("/api/contexts", new { id = "fz", kind = "conversation", content = new[] { new { role = "user", text = "hi" } }, schedule = new { on_change = false } });
        var random = new Random(20250423);
        var failures = new List<string>();
        var methods = new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Get, HttpMethod.Delete, HttpMethod.Patch };
        for (var i = 0; i < 1200; i++)
        {
            var path = Paths[random.Next(Paths.Length)];
            var request = new HttpRequestMessage(methods[random.Next(methods.Length)], path);
            if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Delete)
            {
                request.Content = new StringContent(Body(random), Encoding.UTF8);
                request.Content.Headers.ContentType = random.Next(6) switch
                {
                    0 => new MediaTypeHeaderValue("text/plain"),
                    1 => null,
                    _ => new MediaTypeHeaderValue("application/json"),
                };
            }

            switch (random.Next(8))
            {
                case 0:
                    request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + new string('z', random.Next(0, 600)));
                    break;
                case 1:
                    request.Headers.TryAddWithoutValidation("Authorization", "Basic Zm9vOmJhcg==");
                    break;
                default:
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ServerFactory.AdminKey);
                    break;
            }

            var response = await factory.CreateClient().SendAsync(request);
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"{request.Method} {path} -> {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        Assert.Empty(failures);
    }

    private static string Body(Random random)
    {
        switch (random.Next(6))
        {
            case 0:
                return string.Concat(Enumerable.Range(0, random.Next(1, 30)).Select(_ => Fragments[random.Next(Fragments.Length)]));
            case 1:
                var bytes = new byte[random.Next(0, 200)];
                random.NextBytes(bytes);
                return Encoding.Latin1.GetString(bytes);
            case 2:
                return $"{{\"question\":{Value(random)},\"budget\":{{\"verbosity\":{Value(random)},\"max_tokens\":{Value(random)},\"reasoning_effort\":{Value(random)}}},\"arm\":{Value(random)},\"wait_for_run\":{Value(random)},\"wait_timeout_seconds\":{Value(random)}}}";
            case 3:
                return $"{{\"id\":{Value(random)},\"kind\":{Value(random)},\"text\":{Value(random)},\"content\":[{{\"role\":{Value(random)},\"text\":{Value(random)}}}],\"schedule\":{{\"debounce_seconds\":{Value(random)},\"cron\":{Value(random)},\"runs\":{Value(random)},\"block_limit\":{Value(random)}}}}}";
            case 4:
                return $"{{\"model\":{Value(random)},\"messages\":[{{\"role\":{Value(random)},\"content\":{Value(random)}}}],\"stream\":{Value(random)},\"max_tokens\":{Value(random)}}}";
            default:
                return new string('[', random.Next(1, 200));
        }
    }

    private static string Value(Random random) => random.Next(12) switch
    {
        0 => "null",
        1 => "-1",
        2 => "1e308",
        3 => "99999999999999999999999999",
        4 => "\"\"",
        5 => "\"x\"",
        6 => "[]",
        7 => "{}",
        8 => "true",
        9 => "3",
        10 => "\"" + new string('q', random.Next(0, 3000)) + "\"",
        _ => "\"user\"",
    };
}
