using System.CommandLine;

namespace SleepTime.Cli.Commands;

/// <summary><c>sleeptime sleep &lt;id&gt;</c>: queue a sleep run for a context now.</summary>
internal static class SleepCommand
{
    public static Command Create() =>
        ApiCommands.WithId("sleep", "Queue a sleep run S(c) -> c' for a context (it joins a run already waiting).", "context", (c, id, ct) => c.Runs.TriggerAsync(id, ct));
}
