using System.Collections.Concurrent;
using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>Remembers resolved keys (by hash) for a short while so the query path skips a database read.</summary>
public sealed class ApiKeyCache(TenantStore tenants, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (ApiKeyIdentity? Identity, DateTimeOffset Expires)> entries = new(StringComparer.Ordinal);

    public async ValueTask<ApiKeyIdentity?> ResolveAsync(string key, string hash, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (entries.TryGetValue(hash, out var cached) && cached.Expires > now)
        {
            return cached.Identity;
        }

        var identity = await tenants.FindKeyAsync(key, cancellationToken).ConfigureAwait(false);
        if (entries.Count > 100_000)
        {
            entries.Clear();
        }

        entries[hash] = (identity, now + Lifetime);
        return identity;
    }

    public void Forget() => entries.Clear();
}
