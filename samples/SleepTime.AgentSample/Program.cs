using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using OpenAI;
using SleepTime;
using SleepTime.AgentFramework;
using SleepTime.Extensions.AI;

// An Agent Framework chat agent whose memory is consolidated while it is idle.
if (Environment.GetEnvironmentVariable("OPENAI_API_KEY") is not { Length: > 0 } key)
{
    Console.WriteLine("Set OPENAI_API_KEY to run this sample against OpenAI.");
    return;
}

var openAi = new OpenAIClient(key);
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
}
