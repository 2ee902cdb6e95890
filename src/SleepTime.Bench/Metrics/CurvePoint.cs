namespace SleepTime.Bench.Metrics;

/// <summary>One measured setting on an accuracy-versus-tokens curve.</summary>
public sealed record CurvePoint(string Label, double Tokens, double Accuracy);
