namespace SleepTime.Bench.Metrics;

/// <summary>
/// The points no other point beats on both axes: none is at least as accurate with fewer tokens. Returned by
/// increasing tokens, so accuracy strictly increases along the frontier.
/// </summary>
public static class ParetoFrontier
{
    public static IReadOnlyList<CurvePoint> Of(IEnumerable<CurvePoint> points)
    {
        var frontier = new List<CurvePoint>();
        foreach (var point in points.OrderBy(p => p.Tokens).ThenByDescending(p => p.Accuracy))
        {
            if (frontier.Count == 0 || point.Accuracy > frontier[^1].Accuracy)
            {
                frontier.Add(point);
            }
        }

        return frontier;
    }
}
