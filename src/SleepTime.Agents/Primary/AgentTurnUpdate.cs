using Microsoft.Extensions.AI;

namespace SleepTime.Agents;

/// <summary>A streamed piece of a turn: model updates as they arrive, then one last update with <see cref="Completed"/> set.</summary>
public sealed record AgentTurnUpdate(ChatResponseUpdate? Update, AgentTurn? Completed)
{
    public string Text => Update?.Text ?? string.Empty;
}
