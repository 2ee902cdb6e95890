using SleepTime.Agents;

namespace SleepTime.Server;

/// <summary>
/// The agents API: one endpoints file per resource. The agents library's not-found and state errors become 404 and
/// 409 problems in the server's exception handler, like every other SleepTime error.
/// </summary>
public static class AgentApi
{
    public static RouteGroupBuilder MapAgentsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/");
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


    internal static string Author(HttpContext http) => "user:" + http.Caller().Key.Name;

    internal static IResult AgentNotFound(string id) => Problems.NotFound($"Agent '{id}' was not found.");

    internal static IResult? CheckLimit(int? limit) => limit is < 1 or > 1000 ? Problems.BadRequest("limit must be between 1 and 1000.", "limit") : null;
}
