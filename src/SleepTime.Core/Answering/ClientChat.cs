using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>
/// A chat as an API client wrote it (the OpenAI-compatible facade): its messages and model options go to the test
/// model unchanged, behind the cache-friendly prefix that carries the learned context.
/// </summary>
/// <param name="Messages">The client's messages, in order; tool calls and tool results included.</param>
/// <param name="Question">What the query is recorded as: the text of the client's last user message.</param>
/// <param name="Options">The client's model options (tools, tool choice, response format, sampling, limits).</param>
/// <param name="Verbosity">A test-time verbosity level 0–4 to instruct, or null to leave the reply's form to the client.</param>
public sealed record ClientChat(IReadOnlyList<ChatMessage> Messages, string Question, ChatOptions? Options = null, int? Verbosity = null);
