using System.CommandLine;

namespace SleepTime.Cli.Commands;

/// <summary><c>sleeptime sleep &lt;id&gt;</c>: queue a sleep run for a context now.</summary>
internal static class SleepCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("id") { Description = "Context id." };
        var command = new Command("sleep", "Queue a sleep run S(c) -> c' for a context (it joins a run already waiting).") { id };
        command.SetAction((p, ct) => ServerClient.SendAsync(p, HttpMethod.Post, $"api/contexts/{Uri.EscapeDataString(p.GetValue(id)!)}/runs", new { }, ct));
        return command;
    }
}
