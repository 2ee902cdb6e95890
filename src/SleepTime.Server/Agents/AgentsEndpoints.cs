using Microsoft.AspNetCore.Http.HttpResults;
using SleepTime.Agents;

namespace SleepTime.Server;

/// <summary>/api/agents: primary agents and the blocks attached to them.</summary>
public static class AgentsEndpoints
{
    public static RouteGroupBuilder MapAgents(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/agents").WithTags("Agents");
        group.MapPost("/", CreateAsync).WithName("CreateAgent");
        group.MapGet("/", ListAsync).WithName("ListAgents");
        group.MapGet("/{id}", GetAsync).WithName("GetAgent");
        group.MapDelete("/{id}", DeleteAsync).WithName("DeleteAgent");
        group.MapGet("/{id}/blocks", ListBlocksAsync).WithName("ListAgentBlocks");
        group.MapPut("/{id}/blocks/{blockId}", AttachAsync).WithName("AttachBlock");
        group.MapDelete("/{id}/blocks/{blockId}", DetachAsync).WithName("DetachBlock");
        return group;
    }

    private static async Task<Results<Created<AgentView>, ProblemHttpResult>> CreateAsync(CreateAgentRequest request, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return ApiProblem.BadRequest("An agent needs a name.", "name");
        }

        var tenant = stores.Agents(http);
        var newBlocks = (request.Blocks ?? []).Select(b => b.ToNewBlock()).ToList();
        foreach (var block in newBlocks)
        {
            BlockValidation.Validate(block); // all or nothing: no block is created when one is invalid
        }

        var blockIds = new List<string>(request.BlockIds ?? []);
        foreach (var id in blockIds)
        {
            if (await tenant.Blocks.GetAsync(id, ct) is null)
            {
                return ApiProblem.NotFound($"Block '{id}' was not found.");
            }
        }

        foreach (var block in newBlocks)
        {
            blockIds.Add((await tenant.Blocks.CreateAsync(block, AgentApi.Author(http), ct)).Id);
        }

        var agent = await tenant.Agents.CreateAgentAsync(request.Name, request.Instructions ?? string.Empty, blockIds, ct);
        return TypedResults.Created($"/api/agents/{agent.Id}", await ViewAsync(tenant, agent, ct));
    }

    private static async Task<Results<Ok<List<AgentView>>, ProblemHttpResult>> ListAsync(int? limit, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        if (AgentApi.CheckLimit(limit) is { } bad)
        {
            return bad;
        }

        var tenant = stores.Agents(http);
        var agents = await tenant.Agents.ListAgentsAsync(limit ?? 100, ct);
        return TypedResults.Ok(agents.Select(a => new AgentView(a.Id, a.Name, a.Instructions, a.BlockIds, a.CreatedAt, null, null)).ToList());
    }

    private static async Task<Results<Ok<AgentView>, ProblemHttpResult>> GetAsync(string id, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        var tenant = stores.Agents(http);
        var agent = await tenant.Agents.GetAgentAsync(id, ct);
        return agent is null ? AgentApi.NoSuchAgent(id) : TypedResults.Ok(await ViewAsync(tenant, agent, ct));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, HttpContext http, TenantStores stores, SleepScheduler scheduler, CancellationToken ct)
    {
        var tenant = stores.Agents(http);
        var sleepers = await tenant.Agents.ListSleepTimeAgentsAsync(id, ct);
        if (!await tenant.Agents.DeleteAgentAsync(id, ct))
        {
            return AgentApi.NoSuchAgent(id);
        }

        foreach (var sleeper in sleepers)
        {
            await scheduler.ForgetAsync(tenant.TenantId, SleeperKind.Agent, sleeper.Id, ct); // its sleep-time agents went with it
        }
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<IReadOnlyList<Block>>, ProblemHttpResult>> ListBlocksAsync(string id, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        var tenant = stores.Agents(http);
        var agent = await tenant.Agents.GetAgentAsync(id, ct);
        return agent is null ? AgentApi.NoSuchAgent(id) : TypedResults.Ok(await BlocksOfAsync(tenant, agent, ct));
    }

    private static async Task<Ok<AgentView>> AttachAsync(string id, string blockId, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        var tenant = stores.Agents(http);
        var agent = await tenant.Agents.AttachBlockAsync(id, blockId, ct);
        return TypedResults.Ok(await ViewAsync(tenant, agent, ct));
    }

    private static async Task<Ok<AgentView>> DetachAsync(string id, string blockId, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        var tenant = stores.Agents(http);
        var agent = await tenant.Agents.DetachBlockAsync(id, blockId, ct);
        return TypedResults.Ok(await ViewAsync(tenant, agent, ct));
    }

    internal static async Task<AgentView> ViewAsync(TenantAgentStores tenant, Agent agent, CancellationToken ct)
    {
        var sleepers = new List<SleepTimeAgentView>();
        foreach (var sleeper in await tenant.Agents.ListSleepTimeAgentsAsync(agent.Id, ct))
        {
            sleepers.Add(SleepTimeAgentView.From(sleeper, await tenant.Agents.GetModelAsync(sleeper.Id, ct)));
        }

        return new AgentView(agent.Id, agent.Name, agent.Instructions, agent.BlockIds, agent.CreatedAt, await BlocksOfAsync(tenant, agent, ct), sleepers);
    }

    private static async Task<IReadOnlyList<Block>> BlocksOfAsync(TenantAgentStores tenant, Agent agent, CancellationToken ct)
    {
        var blocks = new List<Block>();
        foreach (var blockId in agent.BlockIds)
        {
            if (await tenant.Blocks.GetAsync(blockId, ct) is { } block)
            {
                blocks.Add(block);
            }
        }

        return blocks;
    }
}
