using System.CommandLine;
using SleepTime.Server;

namespace SleepTime.Cli.Commands;

/// <summary><c>sleeptime ask &lt;id&gt; &lt;question&gt;</c>: answer from the learned context on a small budget.</summary>
internal static class AskCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("id") { Description = "Context id." };
        var question = new Argument<string>("question") { Description = "The question." };
        var verbosity = new Option<int?>("--verbosity") { Description = "Verbosity 0 (answer only) to 4 (step by step)." };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "Most output tokens." };
        var arm = new Option<string?>("--arm") { Description = "sleep_time (default), baseline or context_only." };
        var wait = new Option<bool>("--wait") { Description = "Wait for an in-flight sleep run first." };
        var command = new Command("ask", "Ask a question of a context.") { id, question, verbosity, maxTokens, arm, wait };
        command.SetAction((p, ct) =>
        {
            var request = new AskRequest(p.GetValue(question), p.GetValue(arm), new BudgetRequest(p.GetValue(verbosity), p.GetValue(maxTokens), null), null, p.GetValue(wait), null);
            return ApiCalls.PrintAsync(p, (c, token) => c.Queries.AskAsync(p.GetValue(id)!, request, token), ct);
        });
        return command;
    }
}
