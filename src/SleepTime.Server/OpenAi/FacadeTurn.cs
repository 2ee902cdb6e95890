using System.Diagnostics;
using Microsoft.Extensions.Options;
using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>
/// One facade turn, the same for chat completions and Responses: find the context, answer with its learned context
/// (streamed chunk by chunk, or whole), and record the query and, for a conversation context, its turns — only once
/// the reply has completed. A reply that fails or is abandoned records nothing.
/// </summary>
internal sealed class FacadeTurn(
    TenantStores stores,
    ModelClients models,
    QueryService queries,
    SleepScheduler scheduler,
    IOptions<ServerOptions> options,
    TimeProvider time,
    ILogger<FacadeTurn> logger)
{
    public async Task RunAsync(HttpContext http, FacadeRequest request, IReplyFormat format, string idPrefix)
    {
        var ct = http.RequestAborted;
        var store = stores.Contexts(http);

        // Both reads stand between the request and the model's first token, so they run together.
        var reading = store.GetAsync(request.ContextId, ct);
        var readingLearned = store.GetCurrentAsync(request.ContextId, ct);
        await Task.WhenAll(reading, readingLearned).ConfigureAwait(false);
        var (context, learned) = (reading.Result, readingLearned.Result);
        if (context is null)
        {
            await OpenAiError.ModelNotFound(request.Model, $"no context '{request.ContextId}' (GET /v1/models lists them).").WriteAsync(http).ConfigureAwait(false);
            return;
        }

        var limit = options.Value.MaxContextChars;
        if (context.Kind == ContextKind.Conversation && context.Length + request.Chat.Question.Length > limit)
        {
            // The turns could not be recorded, so the question is refused before a model is paid to answer it.
            await OpenAiError.ForStatus(413, $"Conversation '{context.Id}' is full: it holds {context.Length:N0} of at most {limit:N0} characters.")
                .WriteAsync(http).ConfigureAwait(false);
            return;
        }

        if (models.Test is not { } phase)
        {
            await OpenAiError.ForStatus(503, models.TestProblem ?? "No test model is configured.").WriteAsync(http).ConfigureAwait(false);
            return;
        }

        using var activity = SleepTimeTelemetry.Source.StartActivity("query");
        activity?.SetTag("sleeptime.context_id", context.Id);
        var started = Stopwatch.GetTimestamp();
        var header = new ReplyHeader(idPrefix + Guid.NewGuid().ToString("N"), request.Model, time.GetUtcNow(), request.IncludeUsage);
        activity?.SetTag("sleeptime.learned_version", learned?.Version);

        await (request.Stream
            ? StreamAsync(http, store, context, learned, phase, request, format.OpenStream(http, header), started)
            : AnswerWholeAsync(http, store, context, learned, phase, request, format, header, started)).ConfigureAwait(false);
    }

    private async Task AnswerWholeAsync(HttpContext http, TenantContextStore store, ContextSnapshot context, LearnedContext? learned, TestPhase phase, FacadeRequest request, IReplyFormat format, ReplyHeader header, long started)
    {
        var ct = http.RequestAborted;
        ChatReply reply;
        try
        {
            reply = await phase.ChatAsync(context, learned, request.Chat, ct).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            throw Refused(ex);
        }

        if (await RecordAsync(http, store, context, reply, started, ct).ConfigureAwait(false) is { } refused)
        {
            await refused.WriteAsync(http).ConfigureAwait(false);
            return;
        }

        await format.WriteAsync(http, header, reply).ConfigureAwait(false);
    }

    private async Task StreamAsync(HttpContext http, TenantContextStore store, ContextSnapshot context, LearnedContext? learned, TestPhase phase, FacadeRequest request, IReplyStream stream, long started)
    {
        var ct = http.RequestAborted;
        await using var updates = phase.ChatStreamingAsync(context, learned, request.Chat, ct).GetAsyncEnumerator(ct);

        // Nothing is sent before the model's first chunk: a model that fails at once still gets its own status
        // (502, 503 with Retry-After) from the exception handler, as an OpenAI error object.
        try
        {
            if (!await updates.MoveNextAsync().ConfigureAwait(false))
            {
                return;
            }
        }
        catch (ArgumentException ex)
        {
            throw Refused(ex);
        }

        await stream.StartAsync(ct).ConfigureAwait(false);
        try
        {
            do
            {
                if (updates.Current.Chunk is { } chunk)
                {
                    await stream.WriteAsync(chunk, ct).ConfigureAwait(false);
                    continue;
                }

                var reply = updates.Current.Completed!;
                if (await RecordAsync(http, store, context, reply, started, ct).ConfigureAwait(false) is { } refused)
                {
                    await FailAsync(http, stream, refused).ConfigureAwait(false);
                    return;
                }

                await stream.CompleteAsync(reply, ct).ConfigureAwait(false);
            }
            while (await updates.MoveNextAsync().ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away: nothing to send it, nothing recorded.
        }
        catch (Exception ex)
        {
            var error = Translate(ex);
            if (error.Status >= 500 && ex is not Providers.ModelProviderException)
            {
                logger.LogError(ex, "A streamed reply on {Path} failed after it started.", http.Request.Path);
            }
            else
            {
                logger.LogWarning("A streamed reply on {Path} failed after it started: {Message}", http.Request.Path, ex.Message);
            }

            await FailAsync(http, stream, error).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The model's adapter refused what the client passed through before sending anything (a tool schema it cannot
    /// read, say): the request's fault, so a 400 rather than a 500.
    /// </summary>
    private SleepTimeValidationException Refused(ArgumentException exception)
    {
        logger.LogWarning("The test model's adapter refused a facade request: {Message}", exception.Message);
        return new SleepTimeValidationException("body", "The model cannot take this request: " + exception.Message);
    }

    /// <summary>The error to send for a failure after the stream started; the status line is long gone.</summary>
    private static OpenAiError Translate(Exception exception) => exception switch
    {
        Providers.ModelProviderException { IsTransient: true } m => OpenAiError.ForStatus(503, m.Message),
        Providers.ModelProviderException m => OpenAiError.ForStatus(502, m.Message),
        SleepTimeException s => OpenAiError.ForStatus(400, s.Message),
        _ => OpenAiError.ForStatus(500, "The reply failed while it was streamed."),
    };

    private static async Task FailAsync(HttpContext http, IReplyStream stream, OpenAiError error)
    {
        try
        {
            await stream.FailAsync(error, http.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client is already gone.
        }

        // Cut the connection: a client that ignores the error event still sees an unfinished stream, not a reply.
        http.Abort();
    }

    /// <summary>Records a completed reply; returns the error to answer instead when its turns could not be recorded.</summary>
    private async Task<OpenAiError?> RecordAsync(HttpContext http, TenantContextStore store, ContextSnapshot context, ChatReply reply, long started, CancellationToken ct)
    {
        await queries.RecordAsync(store.TenantId, reply.Answer, started, ct).ConfigureAwait(false);

        // A reply of tool calls alone is not an answer yet: the turns are recorded when the text answer comes.
        if (context.Kind != ContextKind.Conversation || reply.Answer.Text.Length == 0)
        {
            return null;
        }

        var written = await ContextsEndpoints.WriteAsync(
            context.Id,
            new WriteContextRequest(null, [new ContentItem(reply.Answer.Question, "user"), new ContentItem(reply.Answer.Text, "assistant")]),
            replace: false, http, stores, scheduler, options.Value, ct).ConfigureAwait(false);
        return written is IStatusCodeHttpResult { StatusCode: >= 400 and var status }
            ? OpenAiError.ForStatus(status, status == 413
                ? $"The answer does not fit conversation '{context.Id}' (at most {options.Value.MaxContextChars:N0} characters), so its turns were not recorded."
                : $"The turns of conversation '{context.Id}' could not be recorded.")
            : null;
    }
}
