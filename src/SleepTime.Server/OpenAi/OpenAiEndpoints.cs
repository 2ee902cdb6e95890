namespace SleepTime.Server;

/// <summary>
/// An OpenAI-compatible facade: a context is a "model" named <c>ctx:&lt;id&gt;</c> (or named by a <c>context_id</c>
/// field). Chat completions and Responses share one path (<see cref="FacadeTurn"/>): the client's messages and
/// options go to the test model behind the learned context, replies stream as the model writes them, and
/// conversation contexts record their turns once a reply completed. Every failure is OpenAI's error object.
/// </summary>
public static class OpenAiEndpoints
{
    public const string ModelPrefix = FacadeRequest.ModelPrefix;

    public static RouteGroupBuilder MapOpenAi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1").WithTags("OpenAI-compatible");
        group.MapGet("/models", ModelsAsync).WithName("ListModels");
        group.MapPost("/chat/completions", ChatCompletionsAsync).WithName("ChatCompletions");
        group.MapPost("/responses", ResponsesAsync).WithName("CreateResponse");
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

    private static Task ChatCompletionsAsync(HttpContext http, FacadeTurn turn) =>
        RunAsync(http, turn, ChatCompletionsRequest.Parse, ChatCompletionsFormat.Instance, "chatcmpl-");

    private static Task ResponsesAsync(HttpContext http, FacadeTurn turn) =>
        RunAsync(http, turn, ResponsesRequest.Parse, ResponsesFormat.Instance, "resp_");

    private static async Task RunAsync(HttpContext http, FacadeTurn turn, Func<JsonFields, FacadeRequest> parse, IReplyFormat format, string idPrefix)
    {
        FacadeRequest request;
        try
        {
            request = parse(await StrictJson.ReadObjectAsync(http.Request, http.RequestAborted));
        }
        catch (FacadeModelNotFoundException ex)
        {
            await ex.Error.WriteAsync(http);
            return;
        }

        await turn.RunAsync(http, request, format, idPrefix);
    }
}
