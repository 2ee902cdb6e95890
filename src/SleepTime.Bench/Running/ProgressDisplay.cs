using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace SleepTime.Bench.Running;

/// <summary>
/// Shows a run's progress until it ends: a live Spectre.Console bar with ETA and tokens spent on a terminal, or a
/// plain line every few seconds when output is redirected (logs, CI).
/// </summary>
public static class ProgressDisplay
{
    public static async Task ShowAsync(RunCounters counters, Task run, TextWriter? plainOutput = null, bool? interactive = null, TimeSpan? plainInterval = null)
    {
        var live = interactive ?? (!Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive);
        if (live)
        {
            await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("answers", maxValue: Math.Max(1, counters.AnswersPlanned));
                    while (!run.IsCompleted)
                    {
                        task.Value = counters.AnswersDone;
                        task.Description = Describe(counters);
                        await Task.WhenAny(run, Task.Delay(200)).ConfigureAwait(false);
                    }

                    task.Value = counters.AnswersDone;
                    task.Description = Describe(counters);
                }).ConfigureAwait(false);
        }
        else
        {
            var writer = plainOutput ?? Console.Out;
            var clock = Stopwatch.StartNew();
            var interval = plainInterval ?? TimeSpan.FromSeconds(5);
            while (!run.IsCompleted)
            {
                await Task.WhenAny(run, Task.Delay(interval)).ConfigureAwait(false);
                writer.WriteLine(Line(counters, clock.Elapsed));
            }
        }

        await run.ConfigureAwait(false);
    }

    /// <summary>One plain progress line: done/planned answers and sleeps, tokens, elapsed and remaining time.</summary>
    public static string Line(RunCounters counters, TimeSpan elapsed)
    {
        var done = counters.AnswersDone;
        var planned = Math.Max(1, counters.AnswersPlanned);
        var eta = done == 0 ? "?" : TimeSpan.FromSeconds(elapsed.TotalSeconds / done * (planned - done)).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"answers {done}/{counters.AnswersPlanned} ({100.0 * done / planned:0.0}%), sleeps {counters.SleepsDone}/{counters.SleepsPlanned}, tokens in {counters.InputTokens:N0} out {counters.OutputTokens:N0}, failures {counters.Failures}, excluded {counters.Excluded}, elapsed {elapsed.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture)}, eta {eta}");
    }

    private static string Describe(RunCounters c) => FormattableString.Invariant(
        $"answers {c.AnswersDone}/{c.AnswersPlanned} · sleeps {c.SleepsDone}/{c.SleepsPlanned} · tokens in {c.InputTokens:N0} out {c.OutputTokens:N0}{(c.Failures > 0 ? $" · [red]{c.Failures} failed[/]" : string.Empty)}{(c.Excluded > 0 ? $" · [yellow]{c.Excluded} excluded[/]" : string.Empty)}");
}
