using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using OpenAI;
using SleepTime;
using SleepTime.AgentFramework;
using SleepTime.Client;
using SleepTime.Extensions.AI;
using SleepTime.Extensions.AI.Remote;

// An Agent Framework chat agent whose memory is consolidated while it is idle.
if (Environment.GetEnvironmentVariable("OPENAI_API_KEY") is not { Length: > 0 } key)
{
    Console.WriteLine("Set OPENAI_API_KEY to run this sample against OpenAI.");
    return;
}

var openAi = new OpenAIClient(key);
if (Environment.GetEnvironmentVariable("SLEEPTIME_URL") is { Length: > 0 } server)
{
    // Remote mode: the memory is a running `sleeptime serve` (which sleeps with its own configured model).
    using var client = SleepTimeClient.Create(new Uri(server), Environment.GetEnvironmentVariable("SLEEPTIME_API_KEY"));
    await AgentSample.RunRemoteAsync(openAi.GetChatClient("gpt-4.1-mini").AsIChatClient(), client, Console.Out);
    return;
}

await AgentSample.RunAsync(
    agentModel: openAi.GetChatClient("gpt-4.1-mini").AsIChatClient(),
    sleepModel: openAi.GetChatClient("o4-mini").AsIChatClient(),
    Console.Out);

public static class AgentSample
{
    public static readonly string[] Messages =
    [
        "I'm planning a week in Oslo in March with my two kids.",
        "What should we pack?",
    ];

    public static async Task RunAsync(IChatClient agentModel, IChatClient sleepModel, TextWriter output, CancellationToken cancellationToken = default)
    {
        await using var memory = new SleepTimeMemory(sleepModel, new SleepTimeMemoryOptions
        {
            // Sleep after every user turn; the turn itself never waits for it.
            Schedule = new SchedulePolicy { OnChange = false, EveryTurns = 1 },
        });
        AIAgent agent = agentModel.AsAIAgent(new ChatClientAgentOptions
        {
            Name = "travel",
            ChatOptions = new ChatOptions { Instructions = "You are a helpful travel assistant." },
            AIContextProviders = [new SleepTimeContextProvider(memory)],
        });
        var session = await agent.CreateSessionAsync(cancellationToken);

        foreach (var message in Messages)
        {
            output.Write("> " + message + "\n");
            var response = await agent.RunAsync(message, session, cancellationToken: cancellationToken);
            output.Write(response.Text + "\n");

            // A real app goes on; the sample waits so the next turn shows what the sleep learned.
            await memory.WhenIdleAsync(cancellationToken);
            var runs = memory.Runs();
            output.Write($"[sleep: {runs[0].Status}{(runs[0].LearnedVersion is { } v ? $", learned context v{v}" : "")}]\n");
        }
    }

    /// <summary>The same conversation with the memory of a running server, through the typed client.</summary>
    public static async Task RunRemoteAsync(IChatClient agentModel, SleepTimeClient client, TextWriter output, CancellationToken cancellationToken = default)
    {
        var memory = new RemoteConversationMemory(client, new RemoteConversationMemoryOptions
        {
            // Conversations this agent starts sleep after every user turn; the turn itself never waits for it.
            Schedule = new SchedulePolicy { OnChange = false, EveryTurns = 1 },
        });
        var provider = new SleepTimeContextProvider(memory);
        AIAgent agent = agentModel.AsAIAgent(new ChatClientAgentOptions
        {
            Name = "travel",
            ChatOptions = new ChatOptions { Instructions = "You are a helpful travel assistant." },
            AIContextProviders = [provider],
        });
        var session = await agent.CreateSessionAsync(cancellationToken);

        foreach (var message in Messages)
        {
            output.Write("> " + message + "\n");
            var response = await agent.RunAsync(message, session, cancellationToken: cancellationToken);
            output.Write(response.Text + "\n");

            // A real app goes on; the sample waits for the server's run so the next turn shows what the sleep learned.
            var conversation = provider.ConversationIdOf(session);
            var run = (await client.Runs.ListForContextAsync(conversation, limit: 1, cancellationToken: cancellationToken))[0];
            run = await client.Runs.WaitAsync(run.Id, cancellationToken: cancellationToken);
            output.Write($"[sleep on the server: {run.Status}{(run.LearnedVersion is { } v ? $", learned context v{v}" : "")}]\n");
        }
    }
}
