using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using OpenAI;

namespace SleepTime.Testing.OpenAiCompatible;

/// <summary>
/// An in-process, OpenAI-compatible HTTP server for tests: a real Kestrel listener on <c>127.0.0.1</c> (free port)
/// that speaks the chat completions protocol, so the code under test runs the real SDK over real HTTP.
/// </summary>
/// <remarks>
/// <para>Endpoints:</para>
/// <list type="bullet">
/// <item><c>POST /v1/chat/completions</c>: JSON, or server-sent events when <c>stream: true</c> (<c>data: {chunk}</c>
/// lines, a final usage chunk when <c>stream_options.include_usage</c> is true, then <c>data: [DONE]</c>).</item>
/// <item><c>GET /v1/models</c>: the ids in <see cref="ModelIds"/>.</item>
/// <item><c>POST /v1/completions</c>: legacy completions; with <c>echo: true</c> and <c>logprobs</c> set it returns the
/// prompt's tokens and log-probabilities in <c>choices[0].logprobs</c> (see <see cref="CompletionResponder"/>).</item>
/// </list>
/// <para>
/// Which reply a chat request gets: the next one from the queue filled by <see cref="Enqueue(FakeReply[])"/>; when
/// the queue is empty, what <see cref="Responder"/> returns; without a responder, <c>FakeReply.Text("fake reply")</c>.
/// </para>
/// <example>
/// <code>
/// await using var server = await FakeOpenAiServer.StartAsync();
/// server.Enqueue(FakeReply.Error(429, retryAfter: "1"), FakeReply.Text("Paris", promptTokens: 12, completionTokens: 1));
/// IChatClient client = server.CreateChatClient();
/// ChatResponse response = await client.GetResponseAsync("Capital of France?");
/// Assert.Equal("/v1/chat/completions", server.Requests[0].Path);
/// </code>
/// </example>
/// </remarks>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private static readonly JsonSerializerOptions WireJson = new() { WriteIndented = false };

    private readonly RequestLog _log = new();
    private readonly ReplyScript _script = new();
    private FakeServerHost? _host;

    private FakeOpenAiServer(Func<FakeChatRequest, FakeReply>? responder)
    {
        Responder = responder;
    }

    /// <summary>Starts a server on a free port of 127.0.0.1.</summary>
    /// <param name="responder">The fallback responder used when the queue is empty (see <see cref="Responder"/>).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<FakeOpenAiServer> StartAsync(
        Func<FakeChatRequest, FakeReply>? responder = null,
        CancellationToken cancellationToken = default)
    {
        var server = new FakeOpenAiServer(responder);
        server._host = await FakeServerHost.StartAsync(server.HandleAsync, cancellationToken).ConfigureAwait(false);
        return server;
    }

    /// <summary>The OpenAI base URL of this server, ending in <c>/v1/</c>, e.g. <c>http://127.0.0.1:41234/v1/</c>.</summary>
    public Uri BaseUrl => new(Host.Root, "v1/");

    /// <summary>Every request received so far, in arrival order (a thread-safe snapshot).</summary>
    public IReadOnlyList<RecordedRequest> Requests => _log.Snapshot();

    /// <summary>Every well-formed chat completion request received so far, parsed, in arrival order (a snapshot).</summary>
    public IReadOnlyList<FakeChatRequest> ChatRequests => _script.Requests;

    /// <summary>
    /// Decides the reply to a chat request when the queue is empty; use it for replies that depend on the
    /// conversation (e.g. answer a tool result differently from a question). May be replaced at any time.
    /// </summary>
    public Func<FakeChatRequest, FakeReply>? Responder { get => _script.Responder; set => _script.Responder = value; }

    /// <summary>Decides the answer to <c>POST /v1/completions</c>; default: <see cref="FakeCompletionReply.Score"/> of the prompt.</summary>
    public Func<FakeCompletionRequest, FakeCompletionReply>? CompletionResponder { get; set; }

    /// <summary>The model ids listed by <c>GET /v1/models</c>.</summary>
    public IReadOnlyList<string> ModelIds { get; set; } = ["fake-model"];

    /// <summary>The number of queued replies not yet sent.</summary>
    public int PendingReplies => _script.Pending;

    private FakeServerHost Host => _host ?? throw new InvalidOperationException("The server has not been started.");

    /// <summary>Queues replies; each chat request takes the next one, in order.</summary>
    public void Enqueue(params FakeReply[] replies) => _script.Enqueue(replies);

    /// <summary>Queues one reply.</summary>
    public void Enqueue(FakeReply reply) => Enqueue([reply]);

    /// <summary>
    /// Creates a client for this server through the official OpenAI .NET SDK and Microsoft.Extensions.AI, with the
    /// SDK's own retries turned off (so every request the test causes reaches the server exactly once).
    /// </summary>
    /// <param name="model">The model id sent with each request.</param>
    public IChatClient CreateChatClient(string model = "fake-model") =>
        CreateOpenAIClient().GetChatClient(model).AsIChatClient();

    /// <summary>Creates an official OpenAI SDK client for this server (API key <c>fake-key</c>, retries off).</summary>
    public OpenAIClient CreateOpenAIClient()
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = BaseUrl,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        return new OpenAIClient(new ApiKeyCredential("fake-key"), options);
    }

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
        var request = await _log.RecordAsync(context).ConfigureAwait(false);
        switch (request.Method, request.Path.TrimEnd('/'))
        {
            case ("POST", "/v1/chat/completions"):
                await HandleChatAsync(context, request).ConfigureAwait(false);
                break;
            case ("GET", "/v1/models"):
                await WriteJsonAsync(context, 200, new JsonObject
                {
                    ["object"] = "list",
                    ["data"] = new JsonArray(ModelIds.Select(id => (JsonNode)new JsonObject
                    {
                        ["id"] = id,
                        ["object"] = "model",
                        ["created"] = 1_700_000_000,
                        ["owned_by"] = "sleeptime-tests",
                    }).ToArray()),
                }).ConfigureAwait(false);
                break;
            case ("POST", "/v1/completions"):
                await HandleCompletionAsync(context, request).ConfigureAwait(false);
                break;
            default:
                await WriteErrorAsync(context, FakeReply.Error(404, message: $"Unknown endpoint {request.Method} {request.Path}.")).ConfigureAwait(false);
                break;
        }
    }

    private async Task HandleChatAsync(HttpContext context, RecordedRequest recorded)
    {
        if (await _script.TakeTurnAsync(context, recorded, ParseChatRequest, WriteErrorAsync, "chat completion request").ConfigureAwait(false) is not ({ } chat, { } reply))
        {
            return;
        }

        if (chat.Stream)
        {
            await WriteChatStreamAsync(context, chat, reply).ConfigureAwait(false);
        }
        else
        {
            await WriteJsonAsync(context, 200, ChatCompletion(chat, reply)).ConfigureAwait(false);
        }
    }

    /// <summary>Waits (real time) unless the client goes away first; returns false when it went away.</summary>
    internal static async Task<bool> WaitAsync(TimeSpan delay, HttpContext context)
    {
        if (delay <= TimeSpan.Zero)
        {
            return true;
        }

        try
        {
            await Task.Delay(delay, context.RequestAborted).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static JsonObject ChatCompletion(FakeChatRequest chat, FakeReply reply)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = reply.Content, ["refusal"] = null };
        if (reply.Kind == FakeReplyKind.ToolCalls)
        {
            message["tool_calls"] = new JsonArray(reply.ToolCallList.Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.Id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.Arguments },
            }).ToArray());
        }

        var completion = new JsonObject
        {
            ["id"] = FakeIds.ChatCompletionId(),
            ["object"] = "chat.completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = chat.Model,
            ["system_fingerprint"] = "fp_fake",
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["logprobs"] = null,
                ["finish_reason"] = reply.FinishReason,
            }),
        };
        if (reply.IncludeUsage)
        {
            completion["usage"] = Usage(reply);
        }

        return completion;
    }

    private static JsonObject Usage(FakeReply reply) => new()
    {
        ["prompt_tokens"] = reply.PromptTokens,
        ["completion_tokens"] = reply.CompletionTokens,
        ["total_tokens"] = reply.PromptTokens + reply.CompletionTokens,
        ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = reply.CachedTokens, ["audio_tokens"] = 0 },
        ["completion_tokens_details"] = new JsonObject
        {
            ["reasoning_tokens"] = reply.ReasoningTokens,
            ["audio_tokens"] = 0,
            ["accepted_prediction_tokens"] = 0,
            ["rejected_prediction_tokens"] = 0,
        },
    };

    private static async Task WriteChatStreamAsync(HttpContext context, FakeChatRequest chat, FakeReply reply)
    {
        var id = FakeIds.ChatCompletionId();
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";

        JsonObject Chunk(JsonObject? delta, string? finishReason)
        {
            var chunk = new JsonObject
            {
                ["id"] = id,
                ["object"] = "chat.completion.chunk",
                ["created"] = created,
                ["model"] = chat.Model,
                ["system_fingerprint"] = "fp_fake",
                ["choices"] = delta is null
                    ? new JsonArray()
                    : new JsonArray(new JsonObject
                    {
                        ["index"] = 0,
                        ["delta"] = delta,
                        ["logprobs"] = null,
                        ["finish_reason"] = finishReason,
                    }),
            };
            if (chat.IncludeUsage)
            {
                chunk["usage"] = null;
            }

            return chunk;
        }

        var ct = context.RequestAborted;
        try
        {
            await WriteEventAsync(context, Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "", ["refusal"] = null }, null), ct).ConfigureAwait(false);
            if (reply.Kind == FakeReplyKind.ToolCalls)
            {
                for (var i = 0; i < reply.ToolCallList.Count; i++)
                {
                    var call = reply.ToolCallList[i];
                    await WriteEventAsync(context, Chunk(new JsonObject
                    {
                        ["tool_calls"] = new JsonArray(new JsonObject
                        {
                            ["index"] = i,
                            ["id"] = call.Id,
                            ["type"] = "function",
                            ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = "" },
                        }),
                    }, null), ct).ConfigureAwait(false);
                    if (i == 0 && !await AfterFirstChunkAsync(context, reply, ct).ConfigureAwait(false))
                    {
                        return;
                    }

                    foreach (var piece in Split(call.Arguments, 8))
                    {
                        await PaceAsync(reply, ct).ConfigureAwait(false);
                        await WriteEventAsync(context, Chunk(new JsonObject
                        {
                            ["tool_calls"] = new JsonArray(new JsonObject
                            {
                                ["index"] = i,
                                ["function"] = new JsonObject { ["arguments"] = piece },
                            }),
                        }, null), ct).ConfigureAwait(false);
                    }
                }
            }
            else
            {
                var first = true;
                foreach (var token in FakeCompletionReply.Tokenize(reply.Content ?? ""))
                {
                    if (!first)
                    {
                        await PaceAsync(reply, ct).ConfigureAwait(false);
                    }

                    await WriteEventAsync(context, Chunk(new JsonObject { ["content"] = token }, null), ct).ConfigureAwait(false);
                    if (first && !await AfterFirstChunkAsync(context, reply, ct).ConfigureAwait(false))
                    {
                        return;
                    }

                    first = false;
                }
            }

            await WriteEventAsync(context, Chunk(new JsonObject(), reply.FinishReason), ct).ConfigureAwait(false);
            if (chat.IncludeUsage && reply.IncludeUsage)
            {
                var usageChunk = Chunk(null, null);
                usageChunk["usage"] = Usage(reply);
                await WriteEventAsync(context, usageChunk, ct).ConfigureAwait(false);
            }

            await context.Response.WriteAsync("data: [DONE]\n\n", ct).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
            reply.Gate?.MarkFinished();
        }
        catch (OperationCanceledException)
        {
            // The client went away mid-stream.
        }
    }

    /// <summary>Holds at the reply's gate, then breaks the connection if the reply says so; false when the stream ends here.</summary>
    private static async Task<bool> AfterFirstChunkAsync(HttpContext context, FakeReply reply, CancellationToken ct)
    {
        if (reply.Gate is { } gate && !await gate.HoldAsync(ct).ConfigureAwait(false))
        {
            return false;
        }

        if (reply.BreaksAfterFirstChunk)
        {
            context.Abort();
            return false;
        }

        return true;
    }

    private static Task PaceAsync(FakeReply reply, CancellationToken ct) =>
        reply.ChunkDelay > TimeSpan.Zero ? Task.Delay(reply.ChunkDelay, ct) : Task.CompletedTask;

    private static IEnumerable<string> Split(string text, int size)
    {
        for (var i = 0; i < text.Length; i += size)
        {
            yield return text.Substring(i, Math.Min(size, text.Length - i));
        }
    }

    private static async Task WriteEventAsync(HttpContext context, JsonNode data, CancellationToken ct)
    {
        await context.Response.WriteAsync("data: " + data.ToJsonString(WireJson) + "\n\n", ct).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
    }

    private async Task HandleCompletionAsync(HttpContext context, RecordedRequest recorded)
    {
        FakeCompletionRequest request;
        try
        {
            var body = recorded.Body ?? throw new FormatException("The body is not JSON.");
            var prompt = body.GetProperty("prompt");
            request = new FakeCompletionRequest
            {
                Model = body.TryGetProperty("model", out var model) ? model.GetString() ?? "" : "",
                Prompt = prompt.ValueKind == JsonValueKind.Array ? prompt[0].GetString() ?? "" : prompt.GetString() ?? "",
                Echo = body.TryGetProperty("echo", out var echo) && echo.ValueKind == JsonValueKind.True,
                Logprobs = OptionalInt(body, "logprobs"),
                MaxTokens = OptionalInt(body, "max_tokens"),
                Body = body,
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException or FormatException or IndexOutOfRangeException)
        {
            await WriteErrorAsync(context, FakeReply.Error(400, message: "Malformed completion request: " + ex.Message)).ConfigureAwait(false);
            return;
        }

        var reply = CompletionResponder?.Invoke(request) ?? FakeCompletionReply.Score(request.Prompt);
        var generated = FakeCompletionReply.Tokenize(reply.Text);
        var tokens = new List<string>();
        var logprobs = new List<double?>();
        if (request.Echo)
        {
            foreach (var (token, logprob) in reply.PromptTokens)
            {
                tokens.Add(token);
                logprobs.Add(logprob);
            }
        }

        foreach (var token in generated)
        {
            tokens.Add(token);
            logprobs.Add(-1.0);
        }

        var offsets = new JsonArray();
        var offset = 0;
        foreach (var token in tokens)
        {
            offsets.Add(offset);
            offset += token.Length;
        }

        var choice = new JsonObject
        {
            ["index"] = 0,
            ["text"] = (request.Echo ? request.Prompt : "") + reply.Text,
            ["finish_reason"] = "length",
            ["logprobs"] = request.Logprobs is null
                ? null
                : new JsonObject
                {
                    ["tokens"] = new JsonArray(tokens.Select(t => (JsonNode?)t).ToArray()),
                    ["token_logprobs"] = new JsonArray(logprobs.Select(l => l is null ? null : (JsonNode?)l.Value).ToArray()),
                    ["top_logprobs"] = new JsonArray(tokens.Select((t, i) => logprobs[i] is null
                        ? null
                        : (JsonNode?)new JsonObject { [t] = logprobs[i]!.Value }).ToArray()),
                    ["text_offset"] = offsets,
                },
        };
        await WriteJsonAsync(context, 200, new JsonObject
        {
            ["id"] = FakeIds.CompletionId(),
            ["object"] = "text_completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = request.Model,
            ["choices"] = new JsonArray(choice),
            ["usage"] = new JsonObject
            {
                ["prompt_tokens"] = reply.PromptTokens.Count,
                ["completion_tokens"] = generated.Count,
                ["total_tokens"] = reply.PromptTokens.Count + generated.Count,
            },
        }).ConfigureAwait(false);
    }

    internal static FakeChatRequest ParseChatRequest(JsonElement? maybeBody)
    {
        var body = maybeBody ?? throw new FormatException("The body is not JSON.");
        var messages = new List<FakeChatMessage>();
        foreach (var message in body.GetProperty("messages").EnumerateArray())
        {
            var toolCalls = new List<FakeToolCall>();
            if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in calls.EnumerateArray())
                {
                    var function = call.GetProperty("function");
                    toolCalls.Add(new FakeToolCall(
                        call.GetProperty("id").GetString() ?? "",
                        function.GetProperty("name").GetString() ?? "",
                        function.TryGetProperty("arguments", out var args) ? args.GetString() ?? "" : ""));
                }
            }

            messages.Add(new FakeChatMessage(
                message.GetProperty("role").GetString() ?? "",
                TextOf(message.TryGetProperty("content", out var content) ? content : default),
                message.TryGetProperty("tool_call_id", out var toolCallId) ? toolCallId.GetString() : null,
                toolCalls));
        }

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

        var stream = body.TryGetProperty("stream", out var streamFlag) && streamFlag.ValueKind == JsonValueKind.True;
        var includeUsage = body.TryGetProperty("stream_options", out var streamOptions)
            && streamOptions.ValueKind == JsonValueKind.Object
            && streamOptions.TryGetProperty("include_usage", out var include)
            && include.ValueKind == JsonValueKind.True;
        return new FakeChatRequest
        {
            Model = body.TryGetProperty("model", out var model) ? model.GetString() ?? "" : "",
            Messages = messages,
            Tools = tools,
            MaxTokens = OptionalInt(body, "max_completion_tokens") ?? OptionalInt(body, "max_tokens"),
            ReasoningEffort = body.TryGetProperty("reasoning_effort", out var effort) && effort.ValueKind == JsonValueKind.String ? effort.GetString() : null,
            Stream = stream,
            IncludeUsage = includeUsage,
            Temperature = body.TryGetProperty("temperature", out var temperature) && temperature.ValueKind == JsonValueKind.Number ? temperature.GetDouble() : null,
            Body = body,
        };
    }

    /// <summary>The text of a message content: a string, or the text parts of an array of content parts.</summary>
    internal static string? TextOf(JsonElement content) => content.ValueKind switch
    {
        JsonValueKind.String => content.GetString(),
        JsonValueKind.Array => string.Concat(content.EnumerateArray()
            .Where(part => part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out _))
            .Select(part => part.GetProperty("text").GetString())),
        _ => null,
    };

    internal static int? OptionalInt(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    private static Task WriteErrorAsync(HttpContext context, FakeReply error)
    {
        if (error.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = error.RetryAfter;
        }

        var (type, code) = error.Status switch
        {
            429 => ("requests", "rate_limit_exceeded"),
            400 => ("invalid_request_error", "invalid_request"),
            401 => ("invalid_request_error", "invalid_api_key"),
            404 => ("invalid_request_error", "not_found"),
            _ when error.Status >= 500 => ("server_error", "server_error"),
            _ => ("invalid_request_error", (string?)null),
        };
        return WriteJsonAsync(context, error.Status, new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["message"] = error.ErrorMessage,
                ["type"] = type,
                ["param"] = null,
                ["code"] = code,
            },
        });
    }

    internal static async Task WriteJsonAsync(HttpContext context, int status, JsonNode body, string contentType = "application/json")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        try
        {
            await context.Response.WriteAsync(body.ToJsonString(WireJson), context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
    }
}
