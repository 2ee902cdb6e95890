using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>
/// Requires <c>Authorization: Bearer &lt;key&gt;</c> on /api, /v1 and /mcp: a missing, malformed or unknown key is a 401
/// problem. The key is never logged; only its hash is kept.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyCache keys)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (!path.StartsWithSegments("/api") && !path.StartsWithSegments("/v1") && !path.StartsWithSegments(McpEndpoint.Path))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || header.Length <= scheme.Length || header.Length > 512)
        {
            await Problems.WriteAsync(context, StatusCodes.Status401Unauthorized, "Missing API key", "Send 'Authorization: Bearer <api key>'.").ConfigureAwait(false);
            return;
        }

        var key = header[scheme.Length..].Trim();
        var hash = ApiKeys.Hash(key);
        var identity = await keys.ResolveAsync(key, hash, context.RequestAborted).ConfigureAwait(false);
        if (identity is null)
        {
            await Problems.WriteAsync(context, StatusCodes.Status401Unauthorized, "Invalid API key", "The API key is unknown or revoked.").ConfigureAwait(false);
            return;
        }

        context.SetCaller(new Caller(identity, hash));
        await next(context).ConfigureAwait(false);
    }
}
