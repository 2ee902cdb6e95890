using System.CommandLine;
using System.Globalization;
using SleepTime.Bench.Running;

namespace SleepTime.Cli.Commands;

/// <summary>
/// The sampling flags of <c>bench run</c>: temperature and seed per phase. The defaults are the paper's scripts'
/// (temperature 0 for both phases, as on GSM-Symbolic); <c>none</c> sends no temperature, for reasoning models
/// that refuse one.
/// </summary>
internal sealed class BenchSamplingOptions
{
    public Option<string?> Temperature { get; } = new("--temperature") { Description = "Temperature of both phases: a number, or none to send none (default 0, as the paper's scripts)." };

    public Option<string?> SleepTemperature { get; } = new("--sleep-temperature") { Description = "Temperature of the sleep phase (default: --temperature)." };

    public Option<string?> TestTemperature { get; } = new("--test-temperature") { Description = "Temperature of the test phase (default: --temperature)." };

    public Option<long?> SleepSeed { get; } = new("--sleep-seed") { Description = "Seed of the sleep calls; run i of k gets seed + i (default: --seed)." };

    public Option<long?> TestSeed { get; } = new("--test-seed") { Description = "Seed of the answer calls; sample i of pass@k gets seed + i (default: --seed)." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Temperature, SleepTemperature, TestTemperature, SleepSeed, TestSeed })
        {
            command.Options.Add(option);
        }
    }

    public (PhaseSampling Sleep, PhaseSampling Test) Read(ParseResult parse, long seed)
    {
        var both = Parse(parse.GetValue(Temperature), "--temperature", 0);
        return (
            new PhaseSampling(Parse(parse.GetValue(SleepTemperature), "--sleep-temperature", both), parse.GetValue(SleepSeed) ?? seed),
            new PhaseSampling(Parse(parse.GetValue(TestTemperature), "--test-temperature", both), parse.GetValue(TestSeed) ?? seed));
    }

    private static double? Parse(string? text, string option, double? fallback)
    {
        if (text is null)
        {
            return fallback;
        }

        if (text.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 2
            ? value
            : throw new SleepTimeValidationException(option, $"{option} must be a number from 0 to 2, or none; not \"{text}\".");
    }
}
