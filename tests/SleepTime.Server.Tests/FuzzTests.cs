using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using SleepTime.Server.Tests.Contracts;

namespace SleepTime.Server.Tests;

/// <summary>
/// Generated hostile requests (seeded per request, so a failure reproduces) against every operation of the OpenAPI
/// document (/api, /v1, /health, /ready), on a loopback in-process server: hostile ids, query strings, bodies, content types and keys. None may be
/// answered 5xx, no body may carry a stack trace or an internal type or namespace name, and every 4xx is a problem
/// with a detail (an invalid request also names its field), or on /v1 OpenAI's error object with a message. Every response is also
/// checked against the OpenAPI document when the server is disposed.
/// </summary>
public sealed partial class FuzzTests : IAsyncLifetime
{
    private const int Seed = 20250423;
    private const int Requests = 5_200;

    private static readonly string[] HostileIds =
    [
        "%2e", "%2e%2e", "..%2f..%2fetc%2fpasswd", "%ff%fe", new string('a', 300), "%20", "a%20b", "con", "%7Bid%7D",
        "-1", "0", "9223372036854775808", "%27%3B%20DROP%20TABLE%20contexts%3B--", "%E2%80%AE", "%F0%9F%92%A9", "%25", "a%2Fb",
        "%3Cscript%3E", "ctx:fz", "...", "~", "%5C..%5C", "null",
    ];

    private static readonly string[] Queries =
    [
        "limit=-1", "limit=0", "limit=1001", "limit=abc", "limit=99999999999", "limit=2", "cursor=%ff", "cursor=AAAA", "cursor=" + new string('z', 500),
        "status=weird", "status=succeeded", "kind=agent", "kind=x", "from=1&to=2", "from=x&to=-1", "from=99999999999999999999", "after=-5",
        "after=abc", "query=" + new string('q', 2000), "query=%00", "entries=maybe", "entries=false", "sleeptime_agent_id=..", "limit=1&limit=2",
    ];

    private static readonly string[] Keys =
    [
        "id", "kind", "text", "content", "role", "schedule", "cron", "on_change", "debounce_seconds", "every_turns", "question", "arm",
        "budget", "verbosity", "max_tokens", "reasoning_effort", "include_raw_context", "wait_for_run", "wait_timeout_seconds", "name",
        "daily_token_cap", "label", "value", "limit", "description", "read_only", "expected_version", "instructions", "block_ids",
        "blocks", "message", "model", "provider", "endpoint", "api_key_environment_variable", "idle_after_seconds", "transcript_tokens",
        "daily_token_budget", "require_review", "block_id", "overwrite_conflicts", "title", "runs", "block_limit",
        "messages", "stream", "stream_options", "include_usage", "tools", "tool_choice", "response_format", "input", "n", "temperature",
        "context_id", "max_completion_tokens", "type", "function", "parameters", "json_schema",
    ];

    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", "\"", ":", ",", "null", "true", "1e999", "-0", "99999999999999999999999", "\"text\"", "\"content\"",
        "\"question\"", "\"budget\"", "\"verbosity\"", "\"role\"", "\"kind\"", "\"schedule\"", "\"cron\"", "\"* * *\"", "\"model\"",
        "\"ctx:fz\"", "\"\\u0000\"", "NaN", "\"id\"", "\"../x\"", "{\"a\":", "\"max_tokens\"", "\"\\ud800\"", "\uFEFF", "/*", "'x'",
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json", "application/json", "application/json; charset=utf-8", "application/json; charset=latin1",
        "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16",
        "application/problem+json", "",
    ];

    private readonly ServerFactory factory = new(settings: new() { ["SleepTime:Server:RateLimitPerSecond"] = "0" });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Five_thousand_hostile_requests_across_every_endpoint_get_no_5xx_and_leak_nothing()
    {
        var admin = factory.Client();
        await admin.PostOkAsync("/api/contexts", new { id = "fz", kind = "conversation", content = new[] { new { role = "user", text = "hi" } }, schedule = new { on_change = false } });
        await admin.PostOkAsync("/api/contexts", new { id = "fd", text = "x = 3.", schedule = new { on_change = false } });
        var tenant = await admin.PostOkAsync("/api/tenants", new { id = "fuzz", name = "fuzz" });
        var tenantKey = tenant.GetProperty("api_key").GetString()!;
        var block = (await admin.PostOkAsync("/api/blocks", new { label = "persona", value = "v" })).GetProperty("id").GetString()!;
        var agent = (await admin.PostOkAsync("/api/agents", new { name = "fuzzer", block_ids = new[] { block } })).GetProperty("id").GetString()!;
        var sleeper = (await admin.PostOkAsync($"/api/agents/{agent}/sleeptime-agents", new { every_turns = 0 })).GetProperty("id").GetString()!;
        var run = (await admin.PostOkAsync("/api/contexts/fd/runs", new { })).GetProperty("id").GetString()!;
        string[] realIds = ["fz", "fd", "fuzz", block, agent, sleeper, run, "1", tenant.GetProperty("key_id").GetString()!];

        var operations = (await ContractCheck.ContractAsync()).Operations()
            .Where(o => o.Contains(" /api", StringComparison.Ordinal) || o.Contains(" /v1/", StringComparison.Ordinal) || o.EndsWith(" /health", StringComparison.Ordinal) || o.EndsWith(" /ready", StringComparison.Ordinal))
            .ToArray();
        Assert.True(operations.Length >= 50, $"only {operations.Length} operations");
        Assert.Contains("POST /v1/chat/completions", operations);

        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var hits = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var sent = 0;
        var client = factory.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(60);
        await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            var random = new Random(Seed * 31 + i);
            var operation = operations[i < operations.Length * 20 ? i % operations.Length : random.Next(operations.Length)];
            hits.AddOrUpdate(operation, 1, (_, n) => n + 1);
            using var request = Build(random, operation, realIds, tenantKey);
            var description = $"#{i} {request.Method} {request.RequestUri}";
            try
            {
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                Interlocked.Increment(ref sent);
                var status = (int)response.StatusCode;
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                var body = response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? string.Empty : await ReadCappedAsync(response, ct);
                if (status >= 500)
                {
                    failures.Enqueue($"{description} -> {status}: {Clip(body)}");
                }
                else if (Leak().Match(body) is { Success: true } leak)
                {
                    failures.Enqueue($"{description} -> {status} leaks '{leak.Value}': {Clip(body)}");
                }
                else if (status >= 400 && request.Method != HttpMethod.Head && Unexplained(response, body) is { } why)
                {
                    failures.Enqueue($"{description} -> {status} {why}: {Clip(body)}");
                }
            }
            catch (HttpRequestException ex)
            {
                failures.Enqueue($"{description} -> transport error {ex.Message}");
            }
        });

        Assert.Empty(failures);
        Assert.True(sent >= 5_000, $"only {sent} requests answered");
        Assert.All(new[] { 200, 201, 400, 401, 404, 405, 413, 415 }, s => Assert.True(statuses.ContainsKey(s), $"no {s} among {string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}"))}"));
        Assert.All(operations, o => Assert.True(hits.GetValueOrDefault(o) >= 20, $"{o} got {hits.GetValueOrDefault(o)} requests"));
    }

    private static HttpRequestMessage Build(Random random, string operation, string[] realIds, string tenantKey)
    {
        var space = operation.IndexOf(' ', StringComparison.Ordinal);
        var method = random.Next(10) == 0 ? new[] { "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS" }[random.Next(7)] : operation[..space];
        var path = Parameter().Replace(operation[(space + 1)..], _ => random.Next(3) == 0 ? realIds[random.Next(realIds.Length)] : HostileIds[random.Next(HostileIds.Length)]);
        if (random.Next(3) == 0)
        {
            path += "?" + string.Join('&', Enumerable.Range(0, random.Next(1, 4)).Select(_ => Queries[random.Next(Queries.Length)]));
        }

        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT" or "PATCH" || random.Next(10) == 0)
        {
            request.Content = new ByteArrayContent(Body(random));
            var contentType = ContentTypes[random.Next(ContentTypes.Length)];
            if (contentType.Length > 0)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        switch (random.Next(10))
        {
            case 0:
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + new string('z', random.Next(0, 600)));
                break;
            case 1:
                request.Headers.TryAddWithoutValidation("Authorization", "Basic Zm9vOmJhcg==");
                break;
            case 2:
                break;
            case 3:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenantKey);
                break;
            default:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ServerFactory.AdminKey);
                break;
        }

        if (random.Next(4) == 0)
        {
            request.Headers.TryAddWithoutValidation(random.Next(2) == 0 ? "If-Match" : "Last-Event-ID", new[] { "\"1\"", "W/\"x\"", "-1", "*", "99999999999999999999", "\"" }[random.Next(6)]);
        }

        return request;
    }

    private static byte[] Body(Random random)
    {
        switch (random.Next(9))
        {
            case 0:
                return Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, random.Next(1, 30)).Select(_ => Fragments[random.Next(Fragments.Length)])));
            case 1:
                var bytes = new byte[random.Next(0, 300)];
                random.NextBytes(bytes);
                return bytes;
            case 2:
                return Encoding.UTF8.GetBytes(new string(random.Next(2) == 0 ? '[' : '{', random.Next(1, 200)));
            case 3:
                var valid = Encoding.UTF8.GetBytes(Object(random, 0));
                return valid[..random.Next(valid.Length + 1)]; // cut anywhere
            case 4:
                var key = Keys[random.Next(Keys.Length)];
                return Encoding.UTF8.GetBytes($"{{\"{key}\":{Value(random, 1)},\"{key}\":{Value(random, 1)}}}"); // a duplicate key
            case 5:
                return random.Next(40) == 0 ? Encoding.UTF8.GetBytes("{\"text\":\"" + new string('x', 1_100_000) + "\"}") : Encoding.UTF8.GetBytes(Value(random, 0));
            default:
                return Encoding.UTF8.GetBytes(Object(random, 0));
        }
    }

    private static string Object(Random random, int depth) =>
        "{" + string.Join(',', Enumerable.Range(0, random.Next(0, 7)).Select(_ => $"\"{Keys[random.Next(Keys.Length)]}\":{Value(random, depth + 1)}")) + "}";

    private static string Value(Random random, int depth) => random.Next(depth > 2 ? 12 : 15) switch
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
        11 => new[] { "\"user\"", "\"document\"", "\"conversation\"", "\"sleep_time\"", "\"0 0 * * *\"", "\"http://127.0.0.1:1\"", "\"..\"", "\".\"", "\"ctx:fz\"", "\"ctx:fd\"", "\"function\"", "\"json_object\"" }[random.Next(12)],
        12 => Object(random, depth),
        13 => "[" + string.Join(',', Enumerable.Range(0, random.Next(0, 4)).Select(_ => Value(random, depth + 1))) + "]",
        _ => "[{\"role\":" + Value(random, depth + 1) + ",\"text\":" + Value(random, depth + 1) + "}]",
    };

    private static async Task<string> ReadCappedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[256 * 1024];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), ct)) > 0)
        {
            total += read;
        }

        return Encoding.UTF8.GetString(buffer, 0, total);
    }

    /// <summary>Why a 4xx answer does not explain itself: not a problem, no detail, or an invalid field left unnamed.</summary>
    private static string? Unexplained(HttpResponseMessage response, string body)
    {
        if (response.RequestMessage!.RequestUri!.AbsolutePath.StartsWith("/v1/", StringComparison.Ordinal))
        {
            using var error = System.Text.Json.JsonDocument.Parse(body);
            return error.RootElement.TryGetProperty("error", out var e) && e.TryGetProperty("message", out var m) && !string.IsNullOrWhiteSpace(m.GetString())
                ? null
                : "is not an OpenAI error with a message";
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return "is not a problem";
        }

        using var problem = System.Text.Json.JsonDocument.Parse(body);
        var root = problem.RootElement;
        if (!root.TryGetProperty("detail", out var detail) || string.IsNullOrWhiteSpace(detail.GetString()))
        {
            return "has no detail";
        }

        return root.TryGetProperty("title", out var title) && title.GetString() == "Invalid request"
            && !(root.TryGetProperty("field", out var field) && !string.IsNullOrEmpty(field.GetString()))
            ? "names no field"
            : null;
    }

    private static string Clip(string text) => text.Length > 400 ? text[..400] + "…" : text;

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();

    /// <summary>A stack frame, an exception type, or a .NET namespace: none belongs in a response.</summary>
    [GeneratedRegex(@"\bat [A-Z][\w.`]+\.[\w<>]+\(|\w+Exception\b|\b(System|Microsoft|SleepTime|Npgsql|Dapper|Quartz)\.[A-Z]\w*")]
    private static partial Regex Leak();
}
