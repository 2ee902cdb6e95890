using ScottPlot;

namespace SleepTime.Bench.Reports;

/// <summary>
/// Colour and marker per series: 16 distinct colours, each with its own marker, so up to 16 arms or families stay
/// apart in print and for readers who tell colours apart poorly.
/// </summary>
public static class PlotStyles
{
    private static readonly string[] Colors =
    [
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
        "#7f7f7f", "#bcbd22", "#393b79", "#ad494a", "#637939", "#e7ba52", "#7b4173", "#3182bd",
    ];

    private static readonly MarkerShape[] Markers =
    [
        MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond,
        MarkerShape.FilledTriangleDown, MarkerShape.OpenCircle, MarkerShape.OpenSquare, MarkerShape.Cross,
    ];

    public const int Distinct = 16;

    public static (Color Color, MarkerShape Marker) For(int index) =>
        (Color.FromHex(Colors[index % Colors.Length]), Markers[(index + (index / Colors.Length)) % Markers.Length]);
}
