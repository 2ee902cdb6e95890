using Microsoft.AspNetCore.Http.HttpResults;
using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>
/// Tenants and API keys. Creating tenants needs an admin key; any key can see its tenant and add or revoke its keys.
/// </summary>
public static class AdminEndpoints
{
    public static RouteGroupBuilder MapAdmin(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tenants").WithTags("Tenants");
        group.MapGet("/me", MeAsync).WithName("GetOwnTenant");
        group.MapPost("/me/keys", CreateOwnKeyAsync).WithName("CreateOwnKey");
        group.MapPost("/", CreateTenantAsync).WithName("CreateTenant");
        group.MapPost("/{tenantId}/keys", CreateKeyAsync).WithName("CreateTenantKey");
        group.MapDelete("/{tenantId}/keys/{keyId}", RevokeKeyAsync).WithName("RevokeKey");
        group.MapPatch("/{tenantId}", UpdateAsync).WithName("UpdateTenant");
        return group;
    }

    private static async Task<Results<Ok<TenantView>, ProblemHttpResult>> MeAsync(HttpContext http, TenantStore tenants, CancellationToken ct)
    {
        var tenant = await tenants.GetTenantAsync(http.Caller().TenantId, ct);
        return tenant is null ? ApiProblem.NotFound("The tenant no longer exists.") : TypedResults.Ok(View(tenant));
    }

    private static async Task<Created<ApiKeyCreated>> CreateOwnKeyAsync(CreateKeyRequest request, HttpContext http, TenantStore tenants, CancellationToken ct)
    {
        var (key, identity) = await tenants.CreateKeyAsync(http.Caller().TenantId, Name(request.Name), cancellationToken: ct);
        return TypedResults.Created($"/api/tenants/me", new ApiKeyCreated(identity.TenantId, identity.KeyId, identity.Name, key));
    }

    private static async Task<Results<Created<ApiKeyCreated>, ProblemHttpResult>> CreateTenantAsync(CreateTenantRequest request, HttpContext http, TenantStore tenants, CancellationToken ct)
    {
        if (!http.Caller().Key.IsAdmin)
        {
            return ApiProblem.Forbidden("Creating tenants needs an admin key.");
        }

        var id = request.Id ?? Guid.NewGuid().ToString("N");
        ResourceIds.Validate(id, "tenant");
        if (request.DailyTokenCap is < 0)
        {
            return ApiProblem.BadRequest("daily_token_cap must not be negative.", "daily_token_cap");
        }

        var tenant = await tenants.CreateTenantAsync(id, request.Name ?? id, request.DailyTokenCap, ct);
        var (key, identity) = await tenants.CreateKeyAsync(tenant.Id, "initial", cancellationToken: ct);
        return TypedResults.Created($"/api/tenants/{tenant.Id}", new ApiKeyCreated(tenant.Id, identity.KeyId, identity.Name, key));
    }

    private static async Task<Results<Created<ApiKeyCreated>, ProblemHttpResult>> CreateKeyAsync(string tenantId, CreateKeyRequest request, HttpContext http, TenantStore tenants, CancellationToken ct)
    {
        if (!http.Caller().Key.IsAdmin && http.Caller().TenantId != tenantId)
        {
            return ApiProblem.NotFound($"Tenant '{tenantId}' was not found.");
        }

        if (await tenants.GetTenantAsync(tenantId, ct) is null)
        {
            return ApiProblem.NotFound($"Tenant '{tenantId}' was not found.");
        }

        var (key, identity) = await tenants.CreateKeyAsync(tenantId, Name(request.Name), cancellationToken: ct);
        return TypedResults.Created($"/api/tenants/{tenantId}", new ApiKeyCreated(tenantId, identity.KeyId, identity.Name, key));
    }

    /// <summary>Revokes a key at once on this node; other nodes stop accepting it when their key cache expires (30 s).</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeKeyAsync(string tenantId, string keyId, HttpContext http, TenantStore tenants, ApiKeyCache cache, CancellationToken ct)
    {
        if (!http.Caller().Key.IsAdmin && http.Caller().TenantId != tenantId)
        {
            return ApiProblem.NotFound($"Tenant '{tenantId}' was not found.");
        }

        if (!await tenants.RevokeKeyAsync(tenantId, keyId, ct))
        {
            return ApiProblem.NotFound($"Key '{keyId}' of tenant '{tenantId}' was not found or is already revoked.");
        }

        cache.Forget();
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<TenantView>, ProblemHttpResult>> UpdateAsync(string tenantId, TenantUpdateRequest request, HttpContext http, TenantStore tenants, CancellationToken ct)
    {
        if (!http.Caller().Key.IsAdmin)
        {
            return http.Caller().TenantId == tenantId ? ApiProblem.Forbidden("Changing a tenant's budget needs an admin key.") : ApiProblem.NotFound($"Tenant '{tenantId}' was not found.");
        }

        if (request.DailyTokenCap is < 0)
        {
            return ApiProblem.BadRequest("daily_token_cap must not be negative.", "daily_token_cap");
        }

        return await tenants.SetDailyTokenCapAsync(tenantId, request.DailyTokenCap, ct)
            ? TypedResults.Ok(View((await tenants.GetTenantAsync(tenantId, ct))!))
            : ApiProblem.NotFound($"Tenant '{tenantId}' was not found.");
    }

    private static string Name(string? name) => string.IsNullOrWhiteSpace(name) ? "key" : name.Length > 100 ? throw new SleepTimeValidationException("name", "A key name may have at most 100 characters.") : name;

    private static TenantView View(Tenant t) => new(t.Id, t.Name, t.DailyTokenCap, t.CreatedAt);
}
