namespace SleepTime.Providers.Local.LogProbabilities;

/// <summary>
/// How likely a model finds a text after a given prefix: the paper's predictability measure,
/// log P(question | context), computed by scoring the prompt rather than generating.
/// </summary>
public interface IPromptLogProbabilities
{
    /// <summary>
    /// The natural-log probability of each token of <paramref name="continuation"/> given <paramref name="prefix"/>
    /// and the continuation's earlier tokens; their sum is log P(continuation | prefix).
    /// </summary>
    /// <param name="prefix">The conditioning text (may be empty: then only the start token precedes).</param>
    /// <param name="continuation">The text scored; must not be empty.</param>
    /// <param name="cancellationToken">Cancels the computation.</param>
    /// <returns>One value (≤ 0) per continuation token, in order.</returns>
    Task<double[]> GetLogProbabilitiesAsync(string prefix, string continuation, CancellationToken cancellationToken = default);
}
