using System.Text.Json;

namespace SleepTime.Testing.OpenAiCompatible;

/// <summary>A chat request as a fake model server parsed it; passed to a responder to decide the reply.</summary>
public sealed class FakeChatRequest
{
    /// <summary>The model the client asked for.</summary>
    public required string Model { get; init; }

    /// <summary>The conversation, in order, including system, user, assistant and tool messages.</summary>
    public required IReadOnlyList<FakeChatMessage> Messages { get; init; }

    /// <summary>The tools (functions) offered to the model.</summary>
    public IReadOnlyList<FakeTool> Tools { get; init; } = [];

    /// <summary>The output limit: <c>max_completion_tokens</c>, else <c>max_tokens</c> (Anthropic: <c>max_tokens</c>; Ollama: <c>options.num_predict</c>).</summary>
    public int? MaxTokens { get; init; }

    /// <summary>The requested <c>reasoning_effort</c> (e.g. <c>low</c>, <c>medium</c>, <c>high</c>), when given.</summary>
    public string? ReasoningEffort { get; init; }

    /// <summary>Whether the client asked for a streamed response.</summary>
    public bool Stream { get; init; }

    /// <summary>Whether a streaming client asked for a final usage chunk (<c>stream_options.include_usage</c>).</summary>
    public bool IncludeUsage { get; init; }

    /// <summary>The requested temperature, when given.</summary>
    public double? Temperature { get; init; }

    /// <summary>The whole request body, for anything not parsed above.</summary>
    public required JsonElement Body { get; init; }

    /// <summary>The text of the last message with role <c>user</c>, or <see langword="null"/>.</summary>
    public string? LastUserText => Messages.LastOrDefault(m => m.Role == "user")?.Content;

    /// <summary>The text of all system messages joined with a blank line, or <see langword="null"/>.</summary>
    public string? SystemText
    {
        get
        {
            var parts = Messages.Where(m => m.Role is "system" or "developer").Select(m => m.Content).OfType<string>().ToArray();
            return parts.Length == 0 ? null : string.Join("\n\n", parts);
        }
    }
}

/// <summary>One message of a <see cref="FakeChatRequest"/>.</summary>
/// <param name="Role"><c>system</c>, <c>developer</c>, <c>user</c>, <c>assistant</c> or <c>tool</c>.</param>
/// <param name="Content">The text content (text parts of a multi-part content joined), or <see langword="null"/>.</param>
/// <param name="ToolCallId">For a <c>tool</c> message: the id of the call it answers.</param>
/// <param name="ToolCalls">For an <c>assistant</c> message: the tool calls it made.</param>
public sealed record FakeChatMessage(string Role, string? Content, string? ToolCallId, IReadOnlyList<FakeToolCall> ToolCalls);

/// <summary>A tool call: its id, the function name, and the JSON arguments as sent on the wire.</summary>
public sealed record FakeToolCall(string Id, string Name, string Arguments);

/// <summary>A tool (function) offered in a request: name, description and JSON schema of its parameters.</summary>
public sealed record FakeTool(string Name, string? Description, JsonElement? Parameters);
