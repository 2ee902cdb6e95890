using System.CommandLine;
using SleepTime.Client;

namespace SleepTime.Cli.Commands;

/// <summary>Commands that are one typed-client call: with no argument, or with one id.</summary>
internal static class ApiCommands
{
    public static Command Simple<T>(string name, string description, Func<SleepTimeClient, CancellationToken, Task<T>> call)
    {
        var command = new Command(name, description);
        command.SetAction((p, ct) => ApiCalls.PrintAsync(p, call, ct));
        return command;
    }

    public static Command WithId<T>(string name, string description, string argument, Func<SleepTimeClient, string, CancellationToken, Task<T>> call)
    {
        var id = new Argument<string>(argument) { Description = $"The {argument} id." };
        var command = new Command(name, description) { id };
        command.SetAction((p, ct) => ApiCalls.PrintAsync(p, (client, token) => call(client, p.GetValue(id)!, token), ct));
        return command;
    }

    /// <summary>A call with no answer body, such as a delete.</summary>
    public static Command WithIdNoAnswer(string name, string description, string argument, Func<SleepTimeClient, string, CancellationToken, Task> call)
    {
        var id = new Argument<string>(argument) { Description = $"The {argument} id." };
        var command = new Command(name, description) { id };
        command.SetAction((p, ct) => ApiCalls.SendAsync(p, (client, token) => call(client, p.GetValue(id)!, token), ct));
        return command;
    }
}
