using System.Net;
using System.Net.Http.Json;

namespace SleepTime.Server.Tests;

public sealed class SecurityTests : IAsyncLifetime
{
    private readonly ServerFactory factory = new(settings: new() { ["SleepTime:Server:MaxRequestBodyBytes"] = "10000", ["SleepTime:Server:MaxContextChars"] = "5000" });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Missing_or_wrong_keys_get_401()
    {
        var anonymous = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/contexts")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.Client("st_wrong").GetAsync("/api/contexts")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.Client("st_wrong").GetAsync("/v1/models")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task A_tenant_never_sees_another_tenants_contexts_or_runs()
    {
        var alice = await factory.TenantClientAsync("alice");
        var bob = await factory.TenantClientAsync("bob");
        await alice.PostOkAsync("/api/contexts", new { id = "secret", text = "alice's", schedule = new { on_change = false } });
        var run = await alice.PostOkAsync("/api/contexts/secret/runs", new { });
        var runId = run.GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync("/api/contexts/secret")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PostAsJsonAsync("/api/contexts/secret/append", new { text = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.DeleteAsync("/api/contexts/secret")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/api/runs/{runId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PostAsync($"/api/runs/{runId}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PostAsJsonAsync("/api/contexts/secret/queries", new { question = "?" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync("/api/contexts/secret/learned")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.PostAsJsonAsync("/api/tenants", new { id = "eve" })).StatusCode);
        Assert.Empty((await bob.GetOkAsync("/api/contexts")).GetProperty("items").EnumerateArray());

        // Bob may use the same id for a context of his own.
        await bob.PostOkAsync("/api/contexts", new { id = "secret", text = "bob's" });
        Assert.Equal("alice's", (await alice.GetOkAsync("/api/contexts/secret")).GetProperty("entries")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Oversized_bodies_and_contexts_get_413()
    {
        var client = factory.Client();
        var huge = await client.PostAsJsonAsync("/api/contexts", new { id = "big", text = new string('x', 20_000) });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        await client.PostOkAsync("/api/contexts", new { id = "grows", text = new string('x', 4000) });
        var over = await client.PostAsJsonAsync("/api/contexts/grows/append", new { text = new string('y', 2000) });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over.StatusCode);
        Assert.Equal(1, (await client.GetOkAsync("/api/contexts/grows")).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task A_key_over_its_rate_limit_gets_429_with_retry_after()
    {
        await using var limited = new ServerFactory(settings: new() { ["SleepTime:Server:RateLimitPerSecond"] = "1", ["SleepTime:Server:RateLimitBurst"] = "3" });
        var client = limited.Client();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? rejected = null;
        for (var i = 0; i < 20 && rejected is null; i++)
        {
            var response = await client.GetAsync("/api/contexts");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                rejected = response;
            }
        }

        Assert.NotNull(rejected);
        Assert.True(rejected.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("application/problem+json", rejected.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_admin_creates_tenants_and_keys_which_work_at_once()
    {
        var admin = factory.Client();
        var created = await admin.PostOkAsync("/api/tenants", new { id = "acme", name = "Acme", daily_token_cap = 5000 });
        var acme = factory.Client(created.GetProperty("api_key").GetString()!);
        Assert.Equal("acme", (await acme.GetOkAsync("/api/tenants/me")).GetProperty("id").GetString());
        var second = await acme.PostOkAsync("/api/tenants/me/keys", new { name = "ci" });
        Assert.Equal("acme", (await factory.Client(second.GetProperty("api_key").GetString()!).GetOkAsync("/api/tenants/me")).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await acme.PostAsJsonAsync("/api/tenants/default/keys", new { name = "steal" })).StatusCode);
    }
}
