namespace SleepTime.Storage;

/// <summary>Who an API key belongs to. The key itself is never stored, only its SHA-256.</summary>
public sealed record ApiKeyIdentity(string KeyId, string TenantId, string Name, bool IsAdmin);
