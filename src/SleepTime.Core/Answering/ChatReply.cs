using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>A completed reply to a <see cref="ClientChat"/>: the answer as recorded and the model's whole response (tool calls, finish reason).</summary>
public sealed record ChatReply(Answer Answer, ChatResponse Response);
