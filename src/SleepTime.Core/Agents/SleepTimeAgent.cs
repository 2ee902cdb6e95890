namespace SleepTime;

/// <summary>
/// A background agent attached to a primary agent: it reads the primary agent's transcript and documents and edits
/// the primary agent's blocks. Its model is its own <see cref="Microsoft.Extensions.AI.IChatClient"/>, registered with
/// the <see cref="SleepTimeAgentCoordinator"/>.
/// </summary>
/// <param name="DailyTokenBudget">Tokens this agent may spend per UTC day; runs over it are skipped with a reason. Null: no budget.</param>
/// <param name="RequireReview">Hold every change set as pending until a person approves it.</param>
/// <param name="Cost">Prices for this agent's model, to record the cost of each run; null records none.</param>
public sealed record SleepTimeAgent(
    string Id,
    string PrimaryAgentId,
    string Name,
    SleepTimeTriggers Triggers,
    long? DailyTokenBudget,
    bool RequireReview,
    CostModel? Cost,
    DateTimeOffset CreatedAt);
