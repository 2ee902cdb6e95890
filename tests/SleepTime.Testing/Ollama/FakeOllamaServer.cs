using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SleepTime.Testing.OpenAiCompatible;

namespace SleepTime.Testing.Ollama;

/// <summary>
/// An in-process fake of Ollama's native chat API on a real Kestrel listener (127.0.0.1, free port), for tests that
/// run OllamaSharp over real HTTP.
/// </summary>
/// <remarks>
/// <para><c>POST /api/chat</c>: newline-delimited JSON (<c>application/x-ndjson</c>) when <c>stream</c> is true or
/// absent (Ollama's default), one JSON object when <c>stream: false</c>. The final object has <c>done: true</c>,
/// <c>done_reason</c>, <c>prompt_eval_count</c> (= <see cref="FakeReply.PromptTokens"/>) and <c>eval_count</c>
/// (= <see cref="FakeReply.CompletionTokens"/>); a <see cref="FakeReply.NoUsage"/> reply leaves both out. Tool calls
/// become <c>message.tool_calls</c>; errors are <c>{"error":"..."}</c> with the status. <c>GET /api/tags</c> lists
/// <see cref="ModelIds"/> and <c>GET /api/version</c> answers a version.</para>
/// <para>Replies come from the queue (<see cref="Enqueue"/>), then <see cref="Responder"/>, then
/// <c>FakeReply.Text("fake reply")</c>. <see cref="FakeChatRequest.MaxTokens"/> is <c>options.num_predict</c>.</para>
/// </remarks>
public sealed class FakeOllamaServer : IAsyncDisposable
{
    private static readonly JsonSerializerOptions WireJson = new();
    private readonly RequestLog _log = new();
    private readonly ReplyScript _script = new();
    private FakeServerHost? _host;

    private FakeOllamaServer()
    {
    }

    /// <summary>Starts a server on a free port of 127.0.0.1.</summary>
    public static async Task<FakeOllamaServer> StartAsync(Func<FakeChatRequest, FakeReply>? responder = null, CancellationToken cancellationToken = default)
    {
        var server = new FakeOllamaServer { Responder = responder };
        server._host = await FakeServerHost.StartAsync(server.HandleAsync, cancellationToken).ConfigureAwait(false);
        return server;
    }

    /// <summary>The server's root URL, e.g. <c>http://127.0.0.1:41234/</c> (what Ollama serves at <c>:11434</c>).</summary>
    public Uri BaseUrl => (_host ?? throw new InvalidOperationException("The server has not been started.")).Root;

    /// <summary>Every request received so far, in arrival order (a thread-safe snapshot).</summary>
    public IReadOnlyList<RecordedRequest> Requests => _log.Snapshot();

    /// <summary>Every well-formed chat request so far, parsed (a snapshot).</summary>
    public IReadOnlyList<FakeChatRequest> ChatRequests => _script.Requests;

    /// <summary>Decides the reply when the queue is empty.</summary>
    public Func<FakeChatRequest, FakeReply>? Responder { get => _script.Responder; set => _script.Responder = value; }

    /// <summary>The model names listed by <c>GET /api/tags</c>.</summary>
    public IReadOnlyList<string> ModelIds { get; set; } = ["fake-model:latest"];

    /// <summary>Queues replies; each chat request takes the next one, in order.</summary>
    public void Enqueue(params FakeReply[] replies) => _script.Enqueue(replies);

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync().ConfigureAwait(false);
            _host = null;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var recorded = await _log.RecordAsync(context).ConfigureAwait(false);
        switch (recorded.Method, recorded.Path.TrimEnd('/'))
        {
            case ("POST", "/api/chat"):
                await HandleChatAsync(context, recorded).ConfigureAwait(false);
                break;
            case ("GET", "/api/tags"):
                await FakeOpenAiServer.WriteJsonAsync(context, 200, new JsonObject
                {
                    ["models"] = new JsonArray(ModelIds.Select(id => (JsonNode)new JsonObject
                    {
                        ["name"] = id,
                        ["model"] = id,
                        ["modified_at"] = "2025-01-01T00:00:00Z",
                        ["size"] = 1,
                        ["digest"] = "fake",
                    }).ToArray()),
                }).ConfigureAwait(false);
                break;
            case ("GET", "/api/version"):
                await FakeOpenAiServer.WriteJsonAsync(context, 200, new JsonObject { ["version"] = "0.12.0" }).ConfigureAwait(false);
                break;
            default:
                await WriteErrorAsync(context, FakeReply.Error(404, message: $"Unknown endpoint {recorded.Method} {recorded.Path}.")).ConfigureAwait(false);
                break;
        }
    }

    private async Task HandleChatAsync(HttpContext context, RecordedRequest recorded)
    {
        if (await _script.TakeTurnAsync(context, recorded, Parse, WriteErrorAsync, "chat request").ConfigureAwait(false) is not ({ } request, { } reply))
        {
            return;
        }

        if (!request.Stream)
        {
            await FakeOpenAiServer.WriteJsonAsync(context, 200, Final(request, reply, reply.Kind == FakeReplyKind.Text ? reply.Content ?? "" : "")).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/x-ndjson";
        var ct = context.RequestAborted;
        try
        {
            if (reply.Kind == FakeReplyKind.Text)
            {
                foreach (var token in FakeCompletionReply.Tokenize(reply.Content ?? ""))
                {
                    await WriteLineAsync(context, new JsonObject
                    {
                        ["model"] = request.Model,
                        ["created_at"] = Now(),
                        ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = token },
                        ["done"] = false,
                    }, ct).ConfigureAwait(false);
                }
            }

            await WriteLineAsync(context, Final(request, reply, ""), ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client went away mid-stream.
        }
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Final(FakeChatRequest request, FakeReply reply, string content)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = content };
        if (reply.Kind == FakeReplyKind.ToolCalls)
        {
            message["tool_calls"] = new JsonArray(reply.ToolCallList.Select(c => (JsonNode)new JsonObject
            {
                ["function"] = new JsonObject
                {
                    ["name"] = c.Name,
                    ["arguments"] = JsonNode.Parse(string.IsNullOrWhiteSpace(c.Arguments) ? "{}" : c.Arguments),
                },
            }).ToArray());
        }

        var final = new JsonObject
        {
            ["model"] = request.Model,
            ["created_at"] = Now(),
            ["message"] = message,
            ["done"] = true,
            ["done_reason"] = reply.FinishReason == "tool_calls" ? "stop" : reply.FinishReason,
            ["total_duration"] = 1_000_000,
            ["load_duration"] = 1_000,
        };
        if (reply.IncludeUsage)
        {
            final["prompt_eval_count"] = reply.PromptTokens;
            final["prompt_eval_duration"] = 100_000;
            final["eval_count"] = reply.CompletionTokens;
            final["eval_duration"] = 500_000;
        }

        return final;
    }

    private static async Task WriteLineAsync(HttpContext context, JsonNode line, CancellationToken ct)
    {
        await context.Response.WriteAsync(line.ToJsonString(WireJson) + "\n", ct).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
    }

    private static Task WriteErrorAsync(HttpContext context, FakeReply error)
    {
        if (error.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = error.RetryAfter;
        }

        return FakeOpenAiServer.WriteJsonAsync(context, error.Status, new JsonObject { ["error"] = error.ErrorMessage });
    }

    private static FakeChatRequest Parse(JsonElement? maybeBody)
    {
        var body = maybeBody ?? throw new FormatException("The body is not JSON.");
        var messages = new List<FakeChatMessage>();
        foreach (var message in body.GetProperty("messages").EnumerateArray())
        {
            var calls = new List<FakeToolCall>();
            if (message.TryGetProperty("tool_calls", out var toolCalls) && toolCalls.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in toolCalls.EnumerateArray())
                {
                    var function = call.GetProperty("function");
                    calls.Add(new FakeToolCall(
                        call.TryGetProperty("id", out var id) ? id.GetString() ?? "" : "",
                        function.GetProperty("name").GetString() ?? "",
                        function.TryGetProperty("arguments", out var args) ? args.GetRawText() : "{}"));
                }
            }

            messages.Add(new FakeChatMessage(
                message.GetProperty("role").GetString() ?? "",
                message.TryGetProperty("content", out var content) ? FakeOpenAiServer.TextOf(content) : null,
                message.TryGetProperty("tool_call_id", out var toolCallId) ? toolCallId.GetString() : null,
                calls));
        }

        var options = body.TryGetProperty("options", out var o) && o.ValueKind == JsonValueKind.Object ? o : default;
        var stream = !body.TryGetProperty("stream", out var streamFlag) || streamFlag.ValueKind != JsonValueKind.False;
        var tools = new List<FakeTool>();
        if (body.TryGetProperty("tools", out var toolArray) && toolArray.ValueKind == JsonValueKind.Array)
        {
            foreach (var tool in toolArray.EnumerateArray())
            {
                var function = tool.GetProperty("function");
                tools.Add(new FakeTool(
                    function.GetProperty("name").GetString() ?? "",
                    function.TryGetProperty("description", out var description) ? description.GetString() : null,
                    function.TryGetProperty("parameters", out var parameters) ? parameters.Clone() : null));
            }
        }

        return new FakeChatRequest
        {
            Model = body.TryGetProperty("model", out var model) ? model.GetString() ?? "" : "",
            Messages = messages,
            Tools = tools,
            MaxTokens = options.ValueKind == JsonValueKind.Object ? FakeOpenAiServer.OptionalInt(options, "num_predict") : null,
            Stream = stream,
            IncludeUsage = true,
            Temperature = options.ValueKind == JsonValueKind.Object && options.TryGetProperty("temperature", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetDouble() : null,
            Body = body,
        };
    }
}
