using Microsoft.AspNetCore.Http.HttpResults;
using SleepTime.Storage;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using SleepTime.Agents;

namespace SleepTime.Server;

/// <summary>
/// /api/agents/{id}/messages: a turn with the primary agent (JSON, or streamed as SSE) and the conversation's history.
/// A turn only queues sleep-time work; it never waits for a run.
/// </summary>
public static class AgentMessagesEndpoints
{
    public static RouteGroupBuilder MapAgentMessages(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/agents/{id}/messages").WithTags("Messages");
        group.MapPost("/", SendAsync).WithName("SendMessage");
        group.MapPost("/stream", StreamAsync).WithName("StreamMessage");
        group.MapGet("/", ListAsync).WithName("ListMessages");
        group.MapGet("/search", SearchAsync).WithName("SearchMessages");
        return group;
    }

    private static async Task<Results<Ok<TurnView>, ProblemHttpResult>> SendAsync(string id, SendMessageRequest request, HttpContext http, TenantStores stores, SleepScheduler scheduler, UsageLedger ledger, SleepTimeModelResolver models, IOptions<AgentServerOptions> options, TimeProvider time, CancellationToken ct)
    {
        var (agent, problem) = await PrepareAsync(id, request, http, stores, scheduler, models, options.Value, time, ct);
        if (agent is null)
        {
            return problem!;
        }

        var turn = await agent.SendAsync(request.Message!, ct);
        await ledger.RecordTurnAsync(http.Caller().TenantId, id, turn.Usage, CancellationToken.None);
        return TypedResults.Ok(TurnView.From(turn));
    }

    private static async Task<Results<ServerSentEventsResult<object>, ProblemHttpResult>> StreamAsync(string id, SendMessageRequest request, HttpContext http, TenantStores stores, SleepScheduler scheduler, UsageLedger ledger, SleepTimeModelResolver models, IOptions<AgentServerOptions> options, TimeProvider time, ILogger<PrimaryAgent> logger, CancellationToken ct)
    {
        var (agent, problem) = await PrepareAsync(id, request, http, stores, scheduler, models, options.Value, time, ct);
        return agent is null ? problem! : TypedResults.ServerSentEvents(StreamTurnAsync(agent, request.Message!, turn => ledger.RecordTurnAsync(http.Caller().TenantId, id, turn.Usage, CancellationToken.None), logger, ct));
    }

    private static async Task<Results<Ok<List<MessageView>>, ProblemHttpResult>> ListAsync(string id, long? after, int? limit, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        if (AgentApi.CheckLimit(limit) is { } bad)
        {
            return bad;
        }

        var tenant = stores.Agents(http);
        if (await tenant.Agents.GetAgentAsync(id, ct) is null)
        {
            return AgentApi.NoSuchAgent(id);
        }

        var messages = after is null
            ? await tenant.Messages.ListRecentAsync(id, limit ?? 100, ct)
            : (await tenant.Messages.ListAsync(id, after.Value, ct)).Take(limit ?? 100).ToList();
        return TypedResults.Ok(messages.Select(MessageView.From).ToList());
    }

    private static async Task<Results<Ok<List<MessageView>>, ProblemHttpResult>> SearchAsync(string id, string? query, int? limit, HttpContext http, TenantStores stores, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return ApiProblem.BadRequest("query is required.", "query");
        }

        if (AgentApi.CheckLimit(limit) is { } bad)
        {
            return bad;
        }

        var tenant = stores.Agents(http);
        if (await tenant.Agents.GetAgentAsync(id, ct) is null)
        {
            return AgentApi.NoSuchAgent(id);
        }

        var hits = await tenant.Messages.SearchAsync(id, query, limit ?? 10, ct);
        return TypedResults.Ok(hits.Select(MessageView.From).ToList());
    }

    private static async Task<(PrimaryAgent? Agent, ProblemHttpResult? Problem)> PrepareAsync(string id, SendMessageRequest request, HttpContext http, TenantStores stores, SleepScheduler scheduler, SleepTimeModelResolver models, AgentServerOptions options, TimeProvider time, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Message))
        {
            return (null, ApiProblem.BadRequest("message must not be empty.", "message"));
        }

        if (request.Message.Length > options.MaxMessageChars)
        {
            return (null, ApiProblem.TooLarge($"A message may have at most {options.MaxMessageChars:N0} characters."));
        }

        var tenant = stores.Agents(http);
        if (await tenant.Agents.GetAgentAsync(id, ct) is null)
        {
            return (null, AgentApi.NoSuchAgent(id));
        }

        if (models.Primary is not { } model)
        {
            return (null, ApiProblem.Unavailable("No test model is configured for primary agents (set SleepTime:Models:Test)."));
        }

        var archival = new ArchivalMemory(tenant.Archival, http.RequestServices.GetService<Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>>(), time);
        return (new PrimaryAgent(id, model, tenant.ToAgentStores(), new PrimaryAgentOptions
        {
            Scheduler = scheduler.ForTenant(tenant.TenantId),
            Archival = archival,
            HistoryMessages = options.HistoryMessages,
            TimeProvider = time,
        }), null);
    }

    private static async IAsyncEnumerable<SseItem<object>> StreamTurnAsync(PrimaryAgent agent, string message, Func<AgentTurn, Task> completed, ILogger logger, [EnumeratorCancellation] CancellationToken ct)
    {
        var updates = agent.SendStreamingAsync(message, ct).GetAsyncEnumerator(ct);
        try
        {
            while (true)
            {
                SseItem<object> item;
                var last = false;
                try
                {
                    if (!await updates.MoveNextAsync())
                    {
                        yield break;
                    }

                    var update = updates.Current;
                    if (update.Completed is { } turn)
                    {
                        await completed(turn);
                        item = new SseItem<object>(TurnView.From(turn), "completed");
                    }
                    else
                    {
                        item = new SseItem<object>(new { text = update.Text }, "delta");
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The response has started: the failure can only be told as an event.
                    logger.LogWarning(ex, "A streamed turn of agent {Agent} failed.", agent.AgentId);
                    item = new SseItem<object>(new { title = "Turn failed", detail = ex.Message }, "error");
                    last = true;
                }

                yield return item;
                if (last)
                {
                    yield break;
                }
            }
        }
        finally
        {
            await updates.DisposeAsync();
        }
    }
}
