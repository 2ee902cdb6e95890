using LLama.Native;

namespace SleepTime.Providers.Local.LogProbabilities;

/// <summary>
/// Prompt log-probabilities from a local model: the prefix and the continuation are decoded together with logits on
/// for the positions that predict continuation tokens, and each logit row is log-softmaxed.
/// </summary>
/// <remarks>
/// The prefix is tokenized with the start token and the continuation on its own, so the prefix's tokens are exactly
/// the same whatever follows (as log P(question | context) needs). Runs on a context borrowed from the model's pool.
/// </remarks>
public sealed class LocalPromptLogProbabilities(LocalModel model) : IPromptLogProbabilities
{
    /// <inheritdoc/>
    public async Task<double[]> GetLogProbabilitiesAsync(string prefix, string continuation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentException.ThrowIfNullOrEmpty(continuation);
        var context = model.Tokenize(prefix, addStart: true);
        var scored = model.Tokenize(continuation, addStart: false);
        if (context.Length == 0)
        {
            throw new InvalidOperationException("The model adds no start token, so an empty prefix leaves nothing to condition the first token on.");
        }

        if (scored.Length == 0)
        {
            throw new ArgumentException("The continuation has no tokens.", nameof(continuation));
        }

        var tokens = new int[context.Length + scored.Length];
        context.CopyTo(tokens, 0);
        scored.CopyTo(tokens, context.Length);
        if (tokens.Length > model.ContextSize)
        {
            throw new ArgumentException($"Prefix and continuation are {tokens.Length} tokens; the local model's context holds {model.ContextSize}.", nameof(continuation));
        }

        using var lease = await model.Contexts.RentAsync(cancellationToken).ConfigureAwait(false);
        var llama = lease.Context;
        var result = new double[scored.Length];
        var batch = new LLamaBatch();
        var chunk = (int)llama.BatchSize;

        // Position p's logits predict token p + 1; the continuation's first token is predicted at context.Length - 1.
        var firstPredicting = context.Length - 1;
        for (var start = 0; start < tokens.Length - 1; start += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = Math.Min(start + chunk, tokens.Length - 1);
            batch.Clear();
            for (var p = start; p < end; p++)
            {
                batch.Add((LLamaToken)tokens[p], p, LLamaSeqId.Zero, logits: p >= firstPredicting);
            }

            var code = await llama.DecodeAsync(batch, cancellationToken).ConfigureAwait(false);
            if (code != DecodeResult.Ok)
            {
                throw new LLama.Exceptions.LLamaDecodeError(code);
            }

            for (var p = Math.Max(start, firstPredicting); p < end; p++)
            {
                result[p - firstPredicting] = LogSoftmax(llama.NativeHandle.GetLogitsIth(p - start), tokens[p + 1]);
            }
        }

        return result;
    }

    /// <summary>log softmax(<paramref name="logits"/>)[<paramref name="token"/>], computed stably in double precision.</summary>
    internal static double LogSoftmax(ReadOnlySpan<float> logits, int token)
    {
        double max = double.NegativeInfinity;
        foreach (var logit in logits)
        {
            max = Math.Max(max, logit);
        }

        double sum = 0;
        foreach (var logit in logits)
        {
            sum += Math.Exp(logit - max);
        }

        return logits[token] - max - Math.Log(sum);
    }
}
