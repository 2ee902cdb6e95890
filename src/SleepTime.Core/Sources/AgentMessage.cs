using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>A message of a primary agent's conversation. <see cref="Sequence"/> orders an agent's messages and is what watermarks point at.</summary>
public sealed record AgentMessage(string Id, string AgentId, long Sequence, ChatRole Role, string Text, int Tokens, DateTimeOffset CreatedAt);
