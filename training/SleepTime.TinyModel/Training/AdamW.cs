namespace SleepTime.TinyModel.Training;

/// <summary>AdamW (decoupled weight decay on matrices only, not on norms), with bias correction.</summary>
public sealed class AdamW(Dictionary<string, float[]> weights, float beta1 = 0.9f, float beta2 = 0.99f, float epsilon = 1e-8f, float weightDecay = 0.01f)
{
    private readonly Dictionary<string, float[]> first = weights.ToDictionary(p => p.Key, p => new float[p.Value.Length], StringComparer.Ordinal);
    private readonly Dictionary<string, float[]> second = weights.ToDictionary(p => p.Key, p => new float[p.Value.Length], StringComparer.Ordinal);
    private int step;

    public int Steps => step;

    public void Step(Dictionary<string, float[]> gradients, float learningRate)
    {
        step++;
        var correction1 = 1 - Math.Pow(beta1, step);
        var correction2 = 1 - Math.Pow(beta2, step);
        foreach (var (name, w) in weights.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var g = gradients[name];
            var m = first[name];
            var v = second[name];
            var decay = name.EndsWith("norm.weight", StringComparison.Ordinal) ? 0f : weightDecay;
            var stepSize = (float)(learningRate / correction1);
            var root = (float)Math.Sqrt(correction2);
            for (var i = 0; i < w.Length; i++)
            {
                m[i] = (beta1 * m[i]) + ((1 - beta1) * g[i]);
                v[i] = (beta2 * v[i]) + ((1 - beta2) * g[i] * g[i]);
                w[i] -= (stepSize * m[i] / ((MathF.Sqrt(v[i]) / root) + epsilon)) + (learningRate * decay * w[i]);
            }
        }
    }
}
