using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace SleepTime.Server;

/// <summary>
/// An OpenAI-compatible facade: a context is a "model" named <c>ctx:&lt;id&gt;</c> (or named by a <c>context_id</c>
/// field). Answers use the context's learned context; for conversation contexts the user's question and the
/// answer are recorded as turns, so the context's sleep triggers see them.
/// </summary>
public static class OpenAiEndpoints
{
    public const string ModelPrefix = "ctx:";

    public static RouteGroupBuilder MapOpenAi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1").WithTags("OpenAI-compatible");
        group.MapGet("/models", ModelsAsync).WithName("ListModels");
        group.MapPost("/chat/completions", ChatAsync).WithName("ChatCompletions");
        return group;
    }

    private static async Task<IResult> ModelsAsync(HttpContext http, TenantStores stores, CancellationToken ct)
    {
        var page = await stores.Contexts(http).ListAsync(1000, null, ct);
        return TypedResults.Ok(new
        {
            @object = "list",
            data = page.Items.Select(c => new { id = ModelPrefix + c.Id, @object = "model", created = c.CreatedAt.ToUnixTimeSeconds(), owned_by = "sleeptime" }),
        });
    }

    private static async Task ChatAsync(HttpContext http, TenantStores stores, QueryService service, SleepScheduler scheduler, IOptions<ServerOptions> options, CancellationToken ct)
    {
        JsonObject body;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: ct) as JsonObject
                ?? throw new SleepTimeValidationException("body", "The request body must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new SleepTimeValidationException("body", "Malformed JSON: " + ex.Message);
        }

        var model = String(body, "model");
        var contextId = String(body, "context_id") ?? (model is not null && model.StartsWith(ModelPrefix, StringComparison.Ordinal) ? model[ModelPrefix.Length..] : null);
        if (contextId is null)
        {
            throw new SleepTimeValidationException("model", $"Name a context: model \"{ModelPrefix}<context id>\" or a \"context_id\" field.");
        }

        var question = LastUserMessage(body);
        var stream = body["stream"] is JsonValue s && s.TryGetValue<bool>(out var b) && b;
        int? maxTokens = Int(body, "max_completion_tokens") ?? Int(body, "max_tokens");
        var ask = QueryService.ParseOptions(null, new BudgetRequest(Int(body, "verbosity") ?? 2, maxTokens, String(body, "reasoning_effort")), includeRawContext: true);

        var store = stores.Contexts(http);
        var context = await store.GetAsync(contextId, ct);
        if (context is null)
        {
            await Problems.NotFound($"Context '{contextId}' was not found.").ExecuteAsync(http);
            return;
        }

        if (context.Kind == ContextKind.Conversation && context.Length + question.Length > options.Value.MaxContextChars)
        {
            // The turns could not be recorded, so the question is refused before a model is paid to answer it.
            await Problems.TooLarge($"Conversation '{contextId}' is full: it holds {context.Length:N0} of at most {options.Value.MaxContextChars:N0} characters.").ExecuteAsync(http);
            return;
        }

        var (record, unavailable) = await service.AnswerAsync(store.TenantId, store, context, question, ask, ct);
        if (record is null)
        {
            await Problems.Unavailable(unavailable!).ExecuteAsync(http);
            return;
        }

        if (context.Kind == ContextKind.Conversation)
        {
            var written = await ContextsEndpoints.WriteAsync(contextId, new WriteContextRequest(null, [new ContentItem(question, "user"), new ContentItem(record.Answer, "assistant")]),
                replace: false, http, stores, scheduler, options.Value, ct);
            if (written is IStatusCodeHttpResult { StatusCode: >= 400 })
            {
                await written.ExecuteAsync(http);
                return;
            }
        }

        var id = "chatcmpl-" + record.Id;
        var created = record.CreatedAt.ToUnixTimeSeconds();
        var modelName = ModelPrefix + contextId;
        var usage = new { prompt_tokens = record.Usage.InputTokens, completion_tokens = record.Usage.OutputTokens, total_tokens = record.Usage.TotalTokens };
        if (!stream)
        {
            await TypedResults.Ok(new
            {
                id,
                @object = "chat.completion",
                created,
                model = modelName,
                choices = new[] { new { index = 0, message = new { role = "assistant", content = record.Answer }, finish_reason = "stop" } },
                usage,
                learned_version = record.LearnedVersion,
            }).ExecuteAsync(http);
            return;
        }

        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        async Task SendAsync(object chunk)
        {
            await http.Response.WriteAsync("data: " + JsonSerializer.Serialize(chunk) + "\n\n", ct);
            await http.Response.Body.FlushAsync(ct);
        }

        await SendAsync(Chunk(id, created, modelName, new { role = "assistant", content = "" }, null));
        foreach (var piece in Pieces(record.Answer))
        {
            await SendAsync(Chunk(id, created, modelName, new { content = piece }, null));
        }

        await SendAsync(Chunk(id, created, modelName, new { }, "stop"));
        if (body["stream_options"]?["include_usage"] is JsonValue u && u.TryGetValue<bool>(out var include) && include)
        {
            await SendAsync(new { id, @object = "chat.completion.chunk", created, model = modelName, choices = Array.Empty<object>(), usage });
        }

        await http.Response.WriteAsync("data: [DONE]\n\n", ct);
    }

    private static object Chunk(string id, long created, string model, object delta, string? finish) =>
        new { id, @object = "chat.completion.chunk", created, model, choices = new[] { new { index = 0, delta, finish_reason = finish } } };

    private static IEnumerable<string> Pieces(string text)
    {
        for (var i = 0; i < text.Length; i += 32)
        {
            yield return text.Substring(i, Math.Min(32, text.Length - i));
        }
    }

    private static string LastUserMessage(JsonObject body)
    {
        if (body["messages"] is not JsonArray messages || messages.Count == 0)
        {
            throw new SleepTimeValidationException("messages", "messages must be a non-empty array.");
        }

        var last = messages.LastOrDefault(m => m is JsonObject o && String(o, "role") == "user") as JsonObject
            ?? throw new SleepTimeValidationException("messages", "messages must contain a user message.");
        var text = last["content"] switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonArray parts => string.Join("\n", parts.OfType<JsonObject>().Select(p => String(p, "text")).Where(t => t is not null)),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? throw new SleepTimeValidationException("messages", "The last user message has no text.") : text;
    }

    private static string? String(JsonObject o, string name) =>
        o[name] switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => throw new SleepTimeValidationException(name, $"'{name}' must be a string."),
        };

    private static int? Int(JsonObject o, string name) =>
        o[name] switch
        {
            null => null,
            JsonValue v when v.TryGetValue<int>(out var i) => i,
            JsonValue v when v.TryGetValue<double>(out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue => (int)d,
            _ => throw new SleepTimeValidationException(name, $"'{name}' must be an integer."),
        };
}
