using SleepTime.Agents;

namespace SleepTime.Server;

/// <summary>
/// The agents API: one endpoints file per resource, all behind one filter that turns the agents library's
/// not-found and state exceptions into problem details (404, 409) — the server's exception handler only knows
/// the core's.
/// </summary>
public static class AgentApi
{
    public static RouteGroupBuilder MapAgentsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/").AddEndpointFilter(MapAgentExceptionsAsync);
        group.MapAgents();
        group.MapBlocks();
        group.MapAgentMessages();
        group.MapSleepTimeAgents();
        group.MapSleepTimeRuns();
        group.MapChangeSets();
        group.MapAgentDocuments();
        group.MapArchival();
        group.MapAgentEvents();
        return api;
    }

    internal static Task<TenantAgentRuntime> RuntimeAsync(this AgentRuntime runtime, HttpContext http) => runtime.ForTenantAsync(http.Caller().TenantId);

    internal static string Author(HttpContext http) => "user:" + http.Caller().Key.Name;

    internal static IResult AgentNotFound(string id) => Problems.NotFound($"Agent '{id}' was not found.");

    internal static IResult? CheckLimit(int? limit) => limit is < 1 or > 1000 ? Problems.BadRequest("limit must be between 1 and 1000.", "limit") : null;

    private static async ValueTask<object?> MapAgentExceptionsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (AgentNotFoundException e)
        {
            return Problems.NotFound(e.Message);
        }
        catch (BlockNotFoundException e)
        {
            return Problems.NotFound(e.Message);
        }
        catch (ChangeSetNotFoundException e)
        {
            return Problems.NotFound(e.Message);
        }
        catch (ChangeSetStateException e)
        {
            return Problems.Result(StatusCodes.Status409Conflict, "Conflict", e.Message);
        }
    }
}
