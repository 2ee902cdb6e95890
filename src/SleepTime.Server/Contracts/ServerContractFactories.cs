using SleepTime.Agents;

namespace SleepTime.Server;

/// <summary>
/// The views built from types the shared contracts project does not reference (the primary agent's turn, the stored
/// model settings), kept as static extensions so that <c>TurnView.From</c> and <c>SleepTimeAgentView.From</c> read as before.
/// </summary>
public static class ServerContractFactories
{
    extension(TurnView)
    {
        public static TurnView From(AgentTurn t) =>
            new(t.AgentId, MessageView.From(t.UserMessage), MessageView.From(t.AssistantMessage), t.BlockVersions, UsageView.From(t.Usage), t.Model, t.PromptVersion);
    }

    extension(SleepTimeAgentView)
    {
        public static SleepTimeAgentView From(SleepTimeAgent a, Storage.SleepTimeModelSettings? model) => new(
            a.Id, a.PrimaryAgentId, a.Name, a.Schedule.EveryTurns is > 0 and var n ? n : null, a.Schedule.IdleSeconds > 0 ? a.Schedule.IdleSeconds : null,
            a.Schedule.TranscriptTokens is > 0 and var t ? t : null, a.Schedule.DailyTokenCap, a.RequireReview,
            model is null ? "server:sleep" : $"{model.Provider ?? "OpenAI"}:{model.Model}", a.Schedule, a.CreatedAt);
    }
}
