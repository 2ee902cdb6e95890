using Microsoft.Extensions.AI;
using OpenAI;
using SleepTime;
using SleepTime.Extensions.AI;

// A chat on any IChatClient, with sleep-time memory added in one line: .UseSleepTime(memory).
if (Environment.GetEnvironmentVariable("OPENAI_API_KEY") is not { Length: > 0 } key)
{
    Console.WriteLine("Set OPENAI_API_KEY to run this sample against OpenAI.");
    return;
}

IChatClient model = new OpenAIClient(key).GetChatClient("gpt-4.1-mini").AsIChatClient();
await ChatClientSample.RunAsync(model, Console.Out);

public static class ChatClientSample
{
    public static readonly string[] Questions =
    [
        "I run a bakery: every morning I bake 12 trays of 24 rolls and sell 85% of them.",
        "How many rolls do I sell in a week?",
    ];

    /// <summary>Two turns of a chat; the conversation sleeps in the background between them.</summary>
    public static async Task RunAsync(IChatClient model, TextWriter output, CancellationToken cancellationToken = default)
    {
        // The memory: conversations become contexts, a background sleep writes their learned context.
        await using var memory = new SleepTimeMemory(model, new SleepTimeMemoryOptions
        {
            Schedule = new SchedulePolicy { OnChange = true, DebounceSeconds = 0.5 },
        });
        using IChatClient chat = new ChatClientBuilder(model)
            .UseSleepTime(memory)
            .Build();

        List<ChatMessage> history = [new(ChatRole.System, "You are a concise assistant.")];
        foreach (var question in Questions)
        {
            history.Add(new ChatMessage(ChatRole.User, question));
            output.Write("> " + question + "\n");
            var updates = new List<ChatResponseUpdate>();
            await foreach (var update in chat.GetStreamingResponseAsync(history, cancellationToken: cancellationToken))
            {
                output.Write(update.Text);
                updates.Add(update);
            }

            output.Write("\n");
            history.AddRange(updates.ToChatResponse().Messages);

            // A real app just keeps chatting; the sample waits so the next turn shows what the sleep learned.
            await memory.WhenIdleAsync(cancellationToken);
            if (await memory.GetLearnedContextAsync("default", cancellationToken) is { } learned)
            {
                output.Write($"[learned context v{learned.Version}: {learned.Render()}]\n");
            }
        }
    }
}
