namespace SleepTime.Providers.Local;

/// <summary>
/// Passes generated text through until a stop sequence appears, holding back any tail that could be the start of
/// one, so that no part of a stop sequence is ever streamed to the caller.
/// </summary>
internal sealed class StopSequenceFilter(IReadOnlyList<string> stops)
{
    private readonly string[] stops = [.. stops.Where(s => !string.IsNullOrEmpty(s))];
    private string pending = "";

    /// <summary>Adds a piece; returns the text safe to emit and whether a stop sequence was reached.</summary>
    public (string Text, bool Stopped) Add(string piece)
    {
        if (stops.Length == 0)
        {
            return (piece, false);
        }

        pending += piece;
        var first = -1;
        foreach (var stop in stops)
        {
            var at = pending.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first))
            {
                first = at;
            }
        }

        if (first >= 0)
        {
            var before = pending[..first];
            pending = "";
            return (before, true);
        }

        var keep = 0;
        foreach (var stop in stops)
        {
            for (var length = Math.Min(stop.Length - 1, pending.Length); length > keep; length--)
            {
                if (pending.AsSpan(pending.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    keep = length;
                    break;
                }
            }
        }

        var safe = pending[..^keep];
        pending = pending[^keep..];
        return (safe, false);
    }

    /// <summary>The held-back text once generation ended without a stop sequence.</summary>
    public string Flush()
    {
        var rest = pending;
        pending = "";
        return rest;
    }
}
