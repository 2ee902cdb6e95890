using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace SleepTime.Server.Tests;

public sealed class KeyRevocationTests : IAsyncDisposable
{
    private readonly ServerFactory server = new();

    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task A_revoked_key_is_refused_at_once_and_another_tenant_cannot_revoke_it()
    {
        var admin = server.Client();
        var created = await (await admin.PostAsJsonAsync("/api/tenants", new { id = "acme" })).Content.ReadFromJsonAsync<JsonElement>();
        var (keyId, key) = (created.GetProperty("key_id").GetString()!, created.GetProperty("api_key").GetString()!);
        var acme = server.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await acme.GetAsync("/api/contexts")).StatusCode);
        var other = await server.TenantClientAsync("other");

        using var foreign = await other.DeleteAsync($"/api/tenants/acme/keys/{keyId}");
        using var own = await acme.DeleteAsync($"/api/tenants/acme/keys/{keyId}");
        using var again = await admin.DeleteAsync($"/api/tenants/acme/keys/{keyId}");

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await acme.GetAsync("/api/contexts")).StatusCode);
    }
}
