using SleepTime.Client.Http;
using SleepTime.Server;

namespace SleepTime.Client.Tenants;

/// <summary>/api/tenants: the caller's own tenant and keys; creating tenants and their keys needs the admin key.</summary>
public sealed class TenantsClient
{
    private readonly ApiConnection api;

    internal TenantsClient(ApiConnection api) => this.api = api;

    public Task<TenantView> MeAsync(CancellationToken cancellationToken = default) =>
        api.SendAsync<TenantView>(HttpMethod.Get, "api/tenants/me", cancellationToken);

    public Task<ApiKeyCreated> CreateOwnKeyAsync(string? name = null, CancellationToken cancellationToken = default) =>
        api.SendAsync<CreateKeyRequest, ApiKeyCreated>(HttpMethod.Post, "api/tenants/me/keys", new CreateKeyRequest(name), cancellationToken);

    /// <summary>A new tenant and its first key (admin only); <see cref="ApiKeyCreated.ApiKey"/> is shown only here.</summary>
    public Task<ApiKeyCreated> CreateAsync(CreateTenantRequest request, CancellationToken cancellationToken = default) =>
        api.SendAsync<CreateTenantRequest, ApiKeyCreated>(HttpMethod.Post, "api/tenants", request, cancellationToken);

    public Task<ApiKeyCreated> CreateKeyAsync(string tenantId, string? name = null, CancellationToken cancellationToken = default) =>
        api.SendAsync<CreateKeyRequest, ApiKeyCreated>(HttpMethod.Post, $"api/tenants/{PathOf.Id(tenantId)}/keys", new CreateKeyRequest(name), cancellationToken);

    public Task RevokeKeyAsync(string tenantId, string keyId, CancellationToken cancellationToken = default) =>
        api.SendAsync(HttpMethod.Delete, $"api/tenants/{PathOf.Id(tenantId)}/keys/{PathOf.Id(keyId)}", cancellationToken);

    public Task<TenantView> UpdateAsync(string tenantId, TenantUpdateRequest request, CancellationToken cancellationToken = default) =>
        api.SendAsync<TenantUpdateRequest, TenantView>(HttpMethod.Patch, $"api/tenants/{PathOf.Id(tenantId)}", request, cancellationToken);
}
