namespace SleepTime.Server;

/// <summary>The body of /health.</summary>
public sealed record HealthView(string Status);

/// <summary>
/// The body of /ready (200 when ready, 503 while the scheduler starts): which database, the scheduler's state, and
/// whether the sleep and test models are "configured", "fallback" (the demo model `sleeptime serve` uses when no
/// endpoint is configured) or "missing".
/// </summary>
public sealed record ReadyView(string Status, string Database, string Scheduler, string SleepModel, string TestModel);
