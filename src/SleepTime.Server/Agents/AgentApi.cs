using Microsoft.AspNetCore.Http.HttpResults;
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

    internal static ProblemHttpResult NoSuchAgent(string id) => ApiProblem.NotFound($"Agent '{id}' was not found.");

    /// <summary><see cref="NoSuchAgent"/> untyped, for the events stream's handler.</summary>
    internal static IResult AgentNotFound(string id) => NoSuchAgent(id);

    internal static ProblemHttpResult? CheckLimit(int? limit) => limit is < 1 or > 1000 ? ApiProblem.BadRequest("limit must be between 1 and 1000.", "limit") : null;
}
