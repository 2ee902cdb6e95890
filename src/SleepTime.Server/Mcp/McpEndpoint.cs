using System.Text.Json;
using ModelContextProtocol;

namespace SleepTime.Server;

/// <summary>
/// The MCP server at <c>/mcp</c> (Streamable HTTP, stateless): the tenant's API key is checked by
/// <see cref="ApiKeyMiddleware"/> like every /api call, and the tools act in the caller's tenant.
/// </summary>
public static class McpEndpoint
{
    public const string Path = "/mcp";

    /// <summary>Tool results in the API's snake_case, over the SDK's own serializer settings.</summary>
    internal static readonly JsonSerializerOptions Json = new(McpJsonUtilities.DefaultOptions)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static IServiceCollection AddSleepTimeMcp(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<McpCaller>();
        services.AddMcpServer(o => o.ServerInfo = new() { Name = "sleeptime", Version = typeof(McpEndpoint).Assembly.GetName().Version?.ToString() ?? "1.0.0" })
            .WithHttpTransport(o => o.Stateless = true)
            .WithTools<McpTools>(Json);
        return services;
    }

    public static IEndpointConventionBuilder MapSleepTimeMcp(this IEndpointRouteBuilder app) => app.MapMcp(Path);
}
