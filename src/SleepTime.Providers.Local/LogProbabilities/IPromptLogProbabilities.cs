namespace SleepTime.Providers.Local.LogProbabilities;

/// <summary>
/// How likely a model finds a text after a given prefix: the paper's predictability measure,
/// log P(question | context), computed by scoring the prompt rather than generating.
/// </summary>
public interface IPromptLogProbabilities
{
    /// <summary>
    /// The natural-log probability of each token of <paramref name="continuation"/> given <paramref name="prefix"/>
    /// and the continuation's earlier tokens; their sum is log P(continuation | prefix). The tokens are those of the
    /// whole text as the model reads it; a token that spans the boundary counts as the continuation's.
    /// </summary>
    /// <param name="prefix">The conditioning text (may be empty where the model has a start token, which then precedes alone).</param>
    /// <param name="continuation">The text scored; must not be empty.</param>
    /// <param name="cancellationToken">Cancels the computation.</param>
    /// <returns>One value (at most 0) per continuation token, in order.</returns>
    Task<double[]> GetLogProbabilitiesAsync(string prefix, string continuation, CancellationToken cancellationToken = default);
}
