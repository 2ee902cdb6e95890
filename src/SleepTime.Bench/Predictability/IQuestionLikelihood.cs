namespace SleepTime.Bench.Predictability;

/// <summary>Scores how predictable a question is from its context: log P(question | context).</summary>
public interface IQuestionLikelihood
{
    Task<QuestionLikelihood> ScoreAsync(string context, string question, CancellationToken cancellationToken = default);
}

/// <summary>The summed log-probability of the question's tokens given the context, and how many tokens were summed.</summary>
public sealed record QuestionLikelihood(double LogProb, int Tokens);
