using SleepTime.Bench.Predictability;
using SleepTime.Providers.Local.LogProbabilities;

namespace SleepTime.Cli.Commands;

/// <summary>
/// log P(question | context) from a model in this process (<see cref="IPromptLogProbabilities"/>, e.g. a GGUF file
/// through the local provider): the same text as the completions scorer, <c>context + "\n" + question</c>, with the
/// question's tokens summed. No echo server needed.
/// </summary>
internal sealed class BenchLocalLikelihood(IPromptLogProbabilities model) : IQuestionLikelihood
{
    public async Task<QuestionLikelihood> ScoreAsync(string context, string question, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(question);
        var values = await model.GetLogProbabilitiesAsync(context + CompletionsLikelihood.Separator, question, cancellationToken).ConfigureAwait(false);
        return new QuestionLikelihood(values.Sum(), values.Length);
    }
}
