using System.Diagnostics;
using System.Globalization;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using SleepTime;
using SleepTime.AgentFramework;
using SleepTime.Extensions.AI;
using SleepTime.Testing;

// The time SleepTimeContextProvider adds to one agent turn, in process: ProvideAIContextAsync (the committed learned
// context, 5,000 characters, as instructions) + StoreAIContextAsync (append the exchange, apply the schedule policy),
// through the framework's public InvokingAsync / InvokedAsync, with no model call. Each measured conversation starts
// at 20 turns and grows by TurnsPerConversation; the policy decides after every turn (every_turns = 0, so no run
// starts and no sleep competes for the CPU: the sleep itself runs in the background in a real app).
const int Conversations = 40;
const int TurnsPerConversation = 250;
var turns = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : Conversations;

var learnedText = string.Concat(Enumerable.Repeat("The user plans a week in Oslo in March with two kids; pack for snow. ", 80))[..5_000];
var agentModel = new InstantChatClient("Noted.");
var user = new ChatMessage(ChatRole.User, "What should we pack for the second day?");
var reply = new ChatMessage(ChatRole.Assistant, "Warm layers, snow boots and a thermos.");
var samples = new List<double>(turns * TurnsPerConversation);

for (var conversation = -2; conversation < turns; conversation++)
{
    // Two warm-up conversations (JIT, tiering) are measured but not counted.
    var sleepModel = new ScriptedChatClient(_ => ScriptedReply.RethinkAndFinish(learnedText));
    await using var memory = new SleepTimeMemory(sleepModel, new SleepTimeMemoryOptions { Schedule = new SchedulePolicy { OnChange = false, EveryTurns = 0 } });
    var id = "bench-" + conversation.ToString(CultureInfo.InvariantCulture);
    await memory.AppendAsync(id, Enumerable.Range(0, 20).Select(i => ContextInput.Turn(i % 2 == 0 ? "user" : "assistant", $"turn {i}")).ToList());
    var sleep = await memory.Engine.SleepAsync(id);
    if (!sleep.Succeeded || sleep.LearnedContext!.Render().Length != 5_000)
    {
        throw new InvalidOperationException("The benchmark's learned context was not committed: " + sleep.Error);
    }

    var provider = new SleepTimeContextProvider(memory, new SleepTimeContextProviderOptions { SharedMemoryId = id });
    AIAgent agent = agentModel.AsAIAgent(new ChatClientAgentOptions { AIContextProviders = [provider] });
    var session = await agent.CreateSessionAsync();
    for (var turn = 0; turn < TurnsPerConversation; turn++)
    {
        var started = Stopwatch.GetTimestamp();
        var provided = await provider.InvokingAsync(new AIContextProvider.InvokingContext(agent, session, new AIContext { Messages = [user] }));
        await provider.InvokedAsync(new AIContextProvider.InvokedContext(agent, session, [user], [reply]));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (provided.Instructions?.Contains(learnedText, StringComparison.Ordinal) != true)
        {
            throw new InvalidOperationException("The provider did not supply the learned context.");
        }

        if (conversation >= 0)
        {
            samples.Add(elapsed);
        }
    }

    if (memory.Runs().Count != 0 || sleepModel.CallCount != 1)
    {
        throw new InvalidOperationException("A model was called on the turn path.");
    }
}

samples.Sort();
double Percentile(double p) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(p * samples.Count) - 1)];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"provide + store, in-process, 5,000-character learned context, {samples.Count:N0} turns: p50 {Percentile(0.50):F4} ms, p99 {Percentile(0.99):F4} ms, max {samples[^1]:F3} ms"));
