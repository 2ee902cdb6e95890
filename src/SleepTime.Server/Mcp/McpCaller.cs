using ModelContextProtocol;

namespace SleepTime.Server;

/// <summary>The calling tenant of an MCP tool call, from the HTTP request the API key middleware already authenticated.</summary>
public sealed class McpCaller(IHttpContextAccessor accessor, TenantStores stores)
{
    public string TenantId =>
        accessor.HttpContext?.CallerOrNull()?.TenantId ?? throw new McpException("This call carries no authenticated API key.");

    public TenantContextStore Contexts() => stores.Contexts(TenantId);

    /// <summary>Runs a tool body, turning the library's validation, not-found and conflict errors into MCP tool errors that say why.</summary>
    public static async Task<T> GuardAsync<T>(Func<Task<T>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (SleepTimeValidationException e)
        {
            throw new McpException($"Invalid {e.Field}: {e.Message}", e);
        }
        catch (SleepTimeException e)
        {
            throw new McpException(e.Message, e);
        }
    }
}
