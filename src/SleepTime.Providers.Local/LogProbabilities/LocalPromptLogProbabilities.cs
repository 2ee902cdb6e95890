using LLama.Native;

namespace SleepTime.Providers.Local.LogProbabilities;

/// <summary>
/// Prompt log-probabilities from a local model: the prefix and the continuation are decoded together with logits on
/// for the positions that predict continuation tokens, and each logit row is log-softmaxed.
/// </summary>
/// <remarks>
/// The text is tokenized whole, as the model reads it, and the tokens after the longest common start with the
/// prefix's own tokens are scored: normally exactly the continuation's tokens; where one token spans the boundary it
/// is scored too (the rule of the echo-based <c>CompletionsLikelihood</c>: a token counts when it holds any of the
/// continuation). Tokenizing the continuation alone would differ for SentencePiece vocabularies, which treat the
/// start of a text differently. Runs on a context borrowed from the model's pool.
/// </remarks>
public sealed class LocalPromptLogProbabilities(LocalModel model) : IPromptLogProbabilities
{
    /// <inheritdoc/>
    public async Task<double[]> GetLogProbabilitiesAsync(string prefix, string continuation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentException.ThrowIfNullOrEmpty(continuation);
        var (tokens, firstScored) = Split(model, prefix, continuation);
        if (tokens.Length > model.ContextSize)
        {
            throw new ArgumentException($"Prefix and continuation are {tokens.Length} tokens; the local model's context holds {model.ContextSize}.", nameof(continuation));
        }

        using var lease = await model.Contexts.RentAsync(cancellationToken).ConfigureAwait(false);
        var llama = lease.Context;
        var result = new double[tokens.Length - firstScored];
        var batch = new LLamaBatch();
        var chunk = (int)llama.BatchSize;

        // Position p's logits predict token p + 1.
        var firstPredicting = firstScored - 1;
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

    /// <summary>The tokens of prefix plus continuation, and the index of the first one scored (at least 1).</summary>
    internal static (int[] Tokens, int FirstScored) Split(LocalModel model, string prefix, string continuation)
    {
        var alone = model.Tokenize(prefix, addStart: true);
        var whole = model.Tokenize(prefix + continuation, addStart: true);
        var common = 0;
        while (common < alone.Length && common < whole.Length && alone[common] == whole[common])
        {
            common++;
        }

        if (common == 0)
        {
            throw new InvalidOperationException("The model adds no start token, so nothing conditions the first token: give a non-empty prefix.");
        }

        if (common == whole.Length)
        {
            throw new ArgumentException("The continuation adds no tokens.", nameof(continuation));
        }

        return (whole, common);
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
