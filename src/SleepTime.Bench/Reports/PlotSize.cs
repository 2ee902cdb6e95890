namespace SleepTime.Bench.Reports;

/// <summary>The pixel size of every rendered plot.</summary>
public sealed record PlotSize(int Width = 900, int Height = 560);
