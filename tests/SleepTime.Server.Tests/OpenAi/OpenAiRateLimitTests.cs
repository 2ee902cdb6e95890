using System.Net;
using System.Text.Json;

namespace SleepTime.Server.Tests.OpenAi;

/// <summary>The rate limiter's 429 on /v1 is OpenAI's error object too, with Retry-After.</summary>
public sealed class OpenAiRateLimitTests : IAsyncDisposable
{
    private readonly ServerFactory server = new(settings: new Dictionary<string, string?>
    {
        ["SleepTime:Server:RateLimitPerSecond"] = "1",
        ["SleepTime:Server:RateLimitBurst"] = "1",
    });

    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Over_the_rate_limit_is_a_429_rate_limit_exceeded_error()
    {
        var client = server.Client();
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.GetAsync("/v1/models")));

        var limited = responses.FirstOrDefault(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.NotNull(limited);
        Assert.True(limited.Headers.RetryAfter is not null);
        var error = JsonDocument.Parse(await limited.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(("requests", "rate_limit_exceeded"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
        Assert.Contains("rate limit", error.GetProperty("message").GetString());
    }
}
