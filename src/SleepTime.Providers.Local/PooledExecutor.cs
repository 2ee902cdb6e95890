using System.Runtime.CompilerServices;
using LLama;
using LLama.Abstractions;
using LLama.Common;
using LLama.Exceptions;
using LLama.Native;
using Microsoft.Extensions.AI;

namespace SleepTime.Providers.Local;

/// <summary>
/// The <see cref="ILLamaExecutor"/> under LLamaSharp's chat client: each call borrows a context from the model's
/// pool, decodes the prompt, samples one token at a time, and counts what it did into the call's
/// <see cref="LocalInferenceParams.Meter"/>. Unlike LLamaSharp's stateless executor it creates no context per call,
/// reports why it stopped, and ends a cancelled call with <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class PooledExecutor(LocalModel model) : ILLamaExecutor
{
    public bool IsMultiModal => false;

    public MtmdWeights? ClipModel => null;

    public List<SafeMtmdEmbed> Embeds { get; } = [];

    /// <summary>Not available: contexts are pooled and belong to a call only while it runs.</summary>
    public LLamaContext Context => throw new NotSupportedException("A pooled executor has no single context; each call borrows one from the model's pool.");

    public async IAsyncEnumerable<string> InferAsync(
        string prompt,
        IInferenceParams? inferenceParams = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var parameters = inferenceParams ?? new InferenceParams();
        var meter = (parameters as LocalInferenceParams)?.Meter ?? new GenerationMeter();
        var stops = new StopSequenceFilter((parameters as LocalInferenceParams)?.StopSequences ?? []);
        var tools = (parameters as LocalInferenceParams)?.Tools ?? InlineTools.InlineToolSet.None;
        var written = new System.Text.StringBuilder(prompt);
        var lineStart = written.Length;

        var promptTokens = model.Tokenize(prompt, addStart: true);
        if (promptTokens.Length >= model.ContextSize)
        {
            throw new ArgumentException(
                $"The prompt is {promptTokens.Length} tokens; the local model's context holds {model.ContextSize} (prompt and reply). Shorten it or raise ContextSize.",
                nameof(prompt));
        }

        meter.PromptTokens = promptTokens.Length;
        using var lease = await model.Contexts.RentAsync(cancellationToken).ConfigureAwait(false);
        var context = lease.Context;
        var batch = new LLamaBatch();
        var sampler = parameters.SamplingPipeline;
        sampler.Reset();

        var (result, _, past) = await context.DecodeAsync([.. promptTokens.Select(t => (LLamaToken)t)], LLamaSeqId.Zero, batch, 0, cancellationToken).ConfigureAwait(false);
        if (result != DecodeResult.Ok)
        {
            throw new LLamaDecodeError(result);
        }

        var decoder = new StreamingTokenDecoder(context) { DecodeSpecialTokens = parameters.DecodeSpecialTokens };
        var room = model.ContextSize - promptTokens.Length;
        var limit = parameters.MaxTokens < 0 ? room : Math.Min(parameters.MaxTokens, room);
        meter.FinishReason = ChatFinishReason.Length;
        while (meter.OutputTokens < limit)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var token = sampler.Sample(context.NativeHandle, batch.TokenCount - 1);
            if (token.IsEndOfGeneration(model.Weights.Vocab))
            {
                meter.FinishReason = ChatFinishReason.Stop;
                break;
            }

            meter.OutputTokens++;
            decoder.Add(token);
            var piece = decoder.Read();
            var (text, stopped) = stops.Add(piece);
            if (text.Length > 0)
            {
                yield return text;
            }

            var (calculated, tool) = tools != InlineTools.InlineToolSet.None && !stopped ? InlineResult(tools, written, ref lineStart, piece) : (null, InlineTools.InlineToolSet.None);
            var resultTokens = calculated is null ? [] : model.Tokenize(calculated, addStart: false);
            if (resultTokens.Length > 0 && meter.OutputTokens + resultTokens.Length < limit)
            {
                // The result goes into the context after the call ("=" or "]"), as if the model had written it.
                batch.Clear();
                batch.Add(token, past++, LLamaSeqId.Zero, false);
                for (var i = 0; i < resultTokens.Length; i++)
                {
                    sampler.Accept((LLamaToken)resultTokens[i]);
                    batch.Add((LLamaToken)resultTokens[i], past++, LLamaSeqId.Zero, i == resultTokens.Length - 1);
                }

                meter.OutputTokens += resultTokens.Length;
                meter.CalculatorCalls += tool == InlineTools.InlineToolSet.Calculator ? 1 : 0;
                meter.LookupCalls += tool == InlineTools.InlineToolSet.Lookup ? 1 : 0;
                written.Append(calculated);
                (text, stopped) = stops.Add(calculated!);
                if (text.Length > 0)
                {
                    yield return text;
                }

                if (stopped)
                {
                    meter.FinishReason = ChatFinishReason.Stop;
                    break;
                }

                var injected = await context.DecodeAsync(batch, cancellationToken).ConfigureAwait(false);
                if (injected != DecodeResult.Ok)
                {
                    throw new LLamaDecodeError(injected);
                }

                // The tool wrote the whole number: the model may not lengthen it (a small model's own guess at its
                // digits would, "900" becoming "9000").
                var logits = context.NativeHandle.GetLogitsIth(batch.TokenCount - 1);
                foreach (var digit in model.DigitLeadingTokens)
                {
                    logits[digit] = float.NegativeInfinity;
                }

                continue;
            }

            if (stopped)
            {
                meter.FinishReason = ChatFinishReason.Stop;
                break;
            }

            if (meter.OutputTokens == limit)
            {
                break; // no next token will be sampled, so this one need not be decoded
            }

            batch.Clear();
            batch.Add(token, past++, LLamaSeqId.Zero, true);
            var code = await context.DecodeAsync(batch, cancellationToken).ConfigureAwait(false);
            if (code != DecodeResult.Ok)
            {
                throw new LLamaDecodeError(code);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (stops.Flush() is { Length: > 0 } rest)
        {
            yield return rest;
        }
    }

    /// <summary>
    /// Adds <paramref name="piece"/> to the text so far (the prompt, then the reply); the result of the inline tool
    /// call it ends, if any, and which tool gave it.
    /// </summary>
    private static (string? Result, InlineTools.InlineToolSet Tool) InlineResult(InlineTools.InlineToolSet tools, System.Text.StringBuilder written, ref int lineStart, string piece)
    {
        written.Append(piece);
        var newline = piece.LastIndexOf('\n');
        if (newline >= 0)
        {
            lineStart = written.Length - piece.Length + newline + 1;
        }

        if (piece.EndsWith('=') && tools.HasFlag(InlineTools.InlineToolSet.Calculator)
            && InlineTools.InlineCalculator.ResultAfter(written.ToString(lineStart, written.Length - lineStart)) is { } result)
        {
            return (result, InlineTools.InlineToolSet.Calculator);
        }

        if (piece.EndsWith(']') && tools.HasFlag(InlineTools.InlineToolSet.Lookup)
            && InlineTools.InlineLookup.ResultAfter(written.ToString(lineStart, written.Length - lineStart), written.ToString(0, lineStart)) is { } number)
        {
            return (number, InlineTools.InlineToolSet.Lookup);
        }

        return (null, InlineTools.InlineToolSet.None);
    }
}
