namespace SleepTime.Server;

public sealed record CreateTenantRequest(string? Id, string? Name, long? DailyTokenCap);

public sealed record CreateKeyRequest(string? Name);

/// <summary>A new API key; <c>api_key</c> is shown only here.</summary>
public sealed record ApiKeyCreated(string TenantId, string KeyId, string Name, string ApiKey);

public sealed record TenantView(string Id, string Name, long? DailyTokenCap, DateTimeOffset CreatedAt);

public sealed record TenantUpdateRequest(long? DailyTokenCap);
