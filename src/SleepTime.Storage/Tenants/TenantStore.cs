using Dapper;

namespace SleepTime.Storage;

/// <summary>Tenants and their API keys.</summary>
public sealed class TenantStore(SleepTimeDatabase database, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    public async Task<Tenant> CreateTenantAsync(string id, string name, long? dailyTokenCap = null, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var inserted = await connection.ExecuteAsync(
            "INSERT INTO tenants (id, name, daily_token_cap, created_at) VALUES (@id, @name, @cap, @now) ON CONFLICT (id) DO NOTHING",
            new { id, name, cap = dailyTokenCap, now = Clock.ToUnix(now) }).ConfigureAwait(false);
        if (inserted == 0)
        {
            throw new SleepTimeValidationException("id", $"A tenant with id '{id}' already exists.");
        }

        return new Tenant(id, name, dailyTokenCap, now);
    }

    public async Task<Tenant?> GetTenantAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<TenantRow>(
            "SELECT id AS Id, name AS Name, daily_token_cap AS DailyTokenCap, created_at AS CreatedAt FROM tenants WHERE id = @id", new { id }).ConfigureAwait(false);
        return row is null ? null : new Tenant(row.Id, row.Name, row.DailyTokenCap, Clock.FromUnix(row.CreatedAt));
    }

    public async Task<bool> SetDailyTokenCapAsync(string id, long? cap, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync("UPDATE tenants SET daily_token_cap = @cap WHERE id = @id", new { id, cap }).ConfigureAwait(false) == 1;
    }

    /// <summary>Adds a key for the tenant and returns the key in clear: the only time it is ever seen.</summary>
    public async Task<(string Key, ApiKeyIdentity Identity)> CreateKeyAsync(string tenantId, string name, bool isAdmin = false, string? key = null, CancellationToken cancellationToken = default)
    {
        key ??= ApiKeys.Generate();
        var identity = new ApiKeyIdentity(Guid.NewGuid().ToString("N"), tenantId, name, isAdmin);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "INSERT INTO api_keys (id, tenant_id, key_hash, name, is_admin, created_at) VALUES (@KeyId, @TenantId, @hash, @Name, @admin, @now)",
            new { identity.KeyId, identity.TenantId, hash = ApiKeys.Hash(key), identity.Name, admin = isAdmin ? 1L : 0L, now = Clock.ToUnix(time.GetUtcNow()) }).ConfigureAwait(false);
        return (key, identity);
    }

    public async Task<ApiKeyIdentity?> FindKeyAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(
            "SELECT id AS KeyId, tenant_id AS TenantId, name AS Name, is_admin AS IsAdmin FROM api_keys WHERE key_hash = @hash AND revoked_at IS NULL",
            new { hash = ApiKeys.Hash(key) }).ConfigureAwait(false);
        return row is null ? null : new ApiKeyIdentity(row.KeyId, row.TenantId, row.Name, row.IsAdmin != 0);
    }

    public async Task<bool> AnyAdminKeyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM api_keys WHERE is_admin = 1 AND revoked_at IS NULL").ConfigureAwait(false) > 0;
    }

    public async Task<bool> RevokeKeyAsync(string tenantId, string keyId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(
            "UPDATE api_keys SET revoked_at = @now WHERE id = @keyId AND tenant_id = @tenantId AND revoked_at IS NULL",
            new { keyId, tenantId, now = Clock.ToUnix(time.GetUtcNow()) }).ConfigureAwait(false) == 1;
    }

    private sealed class TenantRow
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public long? DailyTokenCap { get; set; }
        public long CreatedAt { get; set; }
    }

    private sealed class KeyRow
    {
        public string KeyId { get; set; } = "";
        public string TenantId { get; set; } = "";
        public string Name { get; set; } = "";
        public long IsAdmin { get; set; }
    }
}
