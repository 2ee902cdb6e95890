namespace SleepTime;

/// <summary>
/// A sleeper over a primary agent's memory: it reads the agent's transcript and documents after its watermark and
/// edits the agent's blocks through change sets, on the same run pipeline as a context's sleeps.
/// </summary>
/// <param name="Schedule">When it sleeps (every N user turns, transcript tokens, idle, cron, documents, manual) and its daily token cap.</param>
/// <param name="RequireReview">Hold every change set as pending until a person approves it.</param>
/// <param name="Cost">Prices for this agent's model, to record the cost of each run; null records none.</param>
public sealed record SleepTimeAgent(
    string Id,
    string PrimaryAgentId,
    string Name,
    SchedulePolicy Schedule,
    bool RequireReview,
    CostModel? Cost,
    DateTimeOffset CreatedAt);
