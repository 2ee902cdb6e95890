using System.Text;

namespace SleepTime;

/// <summary>
/// The learned context <c>c'</c>: what the sleep phase worked out about a context, as one or more memory blocks.
/// Versions start at 1 and grow by one per committed sleep.
/// </summary>
public sealed record LearnedContext(
    string ContextId,
    long Version,
    IReadOnlyList<Block> Blocks,
    LearnedContextProvenance Provenance)
{
    public int Length => Blocks.Sum(b => b.Value.Length);

    /// <summary>The blocks as prompt text; a single block renders as its value alone.</summary>
    public string Render()
    {
        if (Blocks.Count == 1)
        {
            return Blocks[0].Value;
        }

        var builder = new StringBuilder();
        foreach (var block in Blocks)
        {
            if (builder.Length > 0)
            {
                builder.Append("\n\n");
            }

            builder.Append('[').Append(block.Label).Append("]\n").Append(block.Value);
        }

        return builder.ToString();
    }
}
