namespace SleepTime.Bench.Running;

/// <summary>
/// How one phase samples: the temperature and seed sent with each of its calls (null: not sent, the provider's
/// default). Sample <c>i</c> of a pass@k arm uses <c>Seed + i</c>; run <c>i</c> of a k-run sleep uses <c>Seed + i</c>.
/// </summary>
public sealed record PhaseSampling(double? Temperature, long? Seed)
{
    /// <summary>The paper's scripts: temperature 0 for both phases on GSM-Symbolic.</summary>
    public static PhaseSampling Paper { get; } = new(0, 0);

    public long? SeedFor(int index) => Seed is { } seed ? seed + index : null;

    public override string ToString() =>
        $"temperature {(Temperature is { } t ? t.ToString(System.Globalization.CultureInfo.InvariantCulture) : "not sent")}, seed {(Seed is { } s ? s.ToString(System.Globalization.CultureInfo.InvariantCulture) : "not sent")}";
}
