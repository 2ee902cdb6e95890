using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>The authenticated tenant of a request.</summary>
public sealed record Caller(ApiKeyIdentity Key, string KeyHash)
{
    public string TenantId => Key.TenantId;
}

public static class CallerExtensions
{
    private const string ItemKey = "SleepTime.Caller";

    public static void SetCaller(this HttpContext context, Caller caller) => context.Items[ItemKey] = caller;

    /// <summary>The request's caller; every /api and /v1 endpoint runs behind <see cref="ApiKeyMiddleware"/>, which sets it.</summary>
    public static Caller Caller(this HttpContext context) =>
        context.Items[ItemKey] as Caller ?? throw new InvalidOperationException("The request was not authenticated.");

    public static Caller? CallerOrNull(this HttpContext context) => context.Items[ItemKey] as Caller;
}
