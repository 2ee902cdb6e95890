using System.CommandLine;
using SleepTime.Server;

namespace SleepTime.Cli.Commands;

/// <summary><c>sleeptime agent sleeper &lt;agent&gt; …</c> and <c>sleeptime agent runs &lt;agent&gt; | runs get &lt;run&gt;</c>.</summary>
internal static class AgentSleeperCommands
{
    public static Command CreateSleeper()
    {
        var agent = new Argument<string>("agent") { Description = "The primary agent it works for." };
        var name = new Option<string?>("--name") { Description = "Default: sleep-time." };
        var everyTurns = new Option<int?>("--every-turns") { Description = "Run every N turns (default 5; 0 turns it off)." };
        var idle = new Option<double?>("--idle-seconds") { Description = "Run once the conversation has been quiet this long." };
        var tokens = new Option<int?>("--transcript-tokens") { Description = "Run once this many transcript tokens arrived." };
        var budget = new Option<long?>("--daily-budget") { Description = "Tokens per UTC day; runs over it are skipped with the reason." };
        var review = new Option<bool>("--review") { Description = "Hold every change set for approval." };
        var model = new Option<string?>("--model") { Description = "Its own model (default: the server's sleep model)." };
        var provider = new Option<string?>("--provider") { Description = "OpenAI, OpenAICompatible, Anthropic or Ollama." };
        var endpoint = new Option<Uri?>("--endpoint") { Description = "The provider's base URL." };
        var keyEnv = new Option<string?>("--api-key-env") { Description = "Environment variable on the server holding the API key." };
        var command = new Command("sleeper", "Attach a sleep-time agent to a primary agent.") { agent, name, everyTurns, idle, tokens, budget, review, model, provider, endpoint, keyEnv };
        command.SetAction((p, ct) =>
        {
            var request = new CreateSleepTimeAgentRequest(
                p.GetValue(name), p.GetValue(everyTurns), p.GetValue(idle), p.GetValue(tokens), p.GetValue(budget), p.GetValue(review),
                p.GetValue(model) is { } m ? new ModelSettingsRequest(m, p.GetValue(provider), p.GetValue(endpoint), p.GetValue(keyEnv)) : null);
            return ApiCalls.PrintAsync(p, (c, token) => c.Agents.CreateSleepTimeAgentAsync(p.GetValue(agent)!, request, token), ct);
        });
        return command;
    }

    public static Command Runs()
    {
        var agent = new Argument<string>("agent") { Description = "The primary agent." };
        var status = new Option<string?>("--status") { Description = "queued, running, succeeded, failed or skipped." };
        var command = new Command("runs", "List an agent's sleep-time runs (status, reason or error, tokens, change set).") { agent, status };
        command.SetAction((p, ct) => ApiCalls.PrintAsync(p, (c, token) => c.Runs.ListForAgentAsync(p.GetValue(agent)!, p.GetValue(status), cancellationToken: token), ct));
        command.Subcommands.Add(ApiCommands.WithId("get", "Show one sleep-time run.", "run", (c, id, ct) => c.Agents.GetSleepTimeRunAsync(id, ct)));
        return command;
    }
}
