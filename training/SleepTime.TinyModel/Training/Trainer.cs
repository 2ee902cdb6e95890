using System.Diagnostics;
using System.Globalization;

namespace SleepTime.TinyModel.Training;

/// <summary>How a training run goes: steps, batch, learning-rate schedule, checkpoints.</summary>
public sealed record TrainerSettings(int Steps, int BatchSize = 16, int Threads = 1, float LearningRate = 2e-3f, int WarmupSteps = 100, float ClipNorm = 1f);

/// <summary>What a step did; <paramref name="ReplyLoss"/> and <paramref name="ReplyDigitLoss"/> are per reply token (and per digit in a reply), whatever was scored.</summary>
public sealed record StepReport(int Step, double Loss, int Tokens, int ScoredTokens, double TokensPerSecond, TimeSpan Elapsed, double ReplyLoss = double.NaN, double ReplyDigitLoss = double.NaN);

/// <summary>
/// Mini-batch training: each step sums the gradients of <see cref="TrainerSettings.BatchSize"/> examples (loss per
/// scored token), clips the global norm, and takes an AdamW step on a warmup-then-cosine learning rate.
/// Deterministic: a fixed data order; with several threads each takes a fixed share of the batch into its own
/// gradients, summed afterwards in thread order, so the result does not depend on scheduling.
/// </summary>
public sealed class Trainer(Transformer model, TrainingData data, TrainerSettings settings)
{
    private readonly AdamW optimizer = new(model.Weights);
    private readonly Transformer[] replicas = [model, .. Enumerable.Range(1, Math.Max(1, settings.Threads) - 1).Select(_ => model.Replica())];
    private readonly Stopwatch clock = new();
    private long tokens;

    public IEnumerable<StepReport> Run()
    {
        clock.Start();
        for (var step = 1; step <= settings.Steps; step++)
        {
            var batch = Enumerable.Range(0, settings.BatchSize).Select(_ => data.Next()).ToList();
            var scored = batch.Sum(e => e.ScoredCount);
            var losses = new double[replicas.Length];
            var positionLosses = batch.Select(e => new double[e.Tokens.Length - 1]).ToArray();
            Parallel.For(0, replicas.Length, new ParallelOptions { MaxDegreeOfParallelism = replicas.Length }, k =>
            {
                replicas[k].ZeroGradients();
                for (var i = k; i < batch.Count; i += replicas.Length)
                {
                    losses[k] += replicas[k].Backward(batch[i].Tokens, batch[i].Scored, 1f / scored, positionLosses[i]);
                }
            });
            for (var k = 1; k < replicas.Length; k++)
            {
                foreach (var (name, g) in model.Gradients)
                {
                    System.Numerics.Tensors.TensorPrimitives.Add(g, replicas[k].Gradients[name], g);
                }
            }

            var loss = losses.Sum();

            Clip();
            optimizer.Step(model.Gradients, LearningRate(step));
            var batchTokens = batch.Sum(e => e.Tokens.Length - 1);
            tokens += batchTokens;
            var (replyLoss, digitLoss) = ReplyLosses(batch, positionLosses);
            yield return new StepReport(step, loss / scored, batchTokens, scored, tokens / clock.Elapsed.TotalSeconds, clock.Elapsed, replyLoss, digitLoss);
        }
    }

    private static (double Reply, double Digits) ReplyLosses(IReadOnlyList<Example> batch, double[][] positionLosses)
    {
        double reply = 0, digits = 0;
        int replyCount = 0, digitCount = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var example = batch[i];
            for (var p = 0; p < example.Reply.Length; p++)
            {
                if (!example.Reply[p] || !example.Scored[p])
                {
                    continue;
                }

                reply += positionLosses[i][p];
                replyCount++;
                if (CharVocabulary.Instance.IsDigit(example.Tokens[p + 1]))
                {
                    digits += positionLosses[i][p];
                    digitCount++;
                }
            }
        }

        return (reply / Math.Max(1, replyCount), digits / Math.Max(1, digitCount));
    }

    public float LearningRate(int step)
    {
        if (step <= settings.WarmupSteps)
        {
            return settings.LearningRate * step / settings.WarmupSteps;
        }

        var progress = (double)(step - settings.WarmupSteps) / Math.Max(1, settings.Steps - settings.WarmupSteps);
        return (float)(settings.LearningRate * (0.1 + (0.9 * 0.5 * (1 + Math.Cos(Math.PI * progress)))));
    }

    private void Clip()
    {
        double sum = 0;
        foreach (var name in model.Gradients.Keys.Order(StringComparer.Ordinal))
        {
            sum += System.Numerics.Tensors.TensorPrimitives.SumOfSquares<float>(model.Gradients[name]);
        }

        var norm = Math.Sqrt(sum);
        if (norm > settings.ClipNorm)
        {
            var factor = (float)(settings.ClipNorm / norm);
            foreach (var g in model.Gradients.Values)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(g, factor, g);
            }
        }
    }

    public static string Format(StepReport r, float learningRate) => string.Create(CultureInfo.InvariantCulture,
        $"step {r.Step} loss {r.Loss:0.0000} reply {r.ReplyLoss:0.0000} digits {r.ReplyDigitLoss:0.0000} lr {learningRate:0.00000} tokens {r.Tokens} scored {r.ScoredTokens} tok/s {r.TokensPerSecond:0} elapsed {r.Elapsed.TotalSeconds:0}s");
}
