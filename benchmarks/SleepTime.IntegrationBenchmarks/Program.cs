using System.Diagnostics;
using System.Globalization;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using SleepTime;
using SleepTime.AgentFramework;
using SleepTime.Client.Tests;
using SleepTime.Extensions.AI;
using SleepTime.Extensions.AI.Remote;
using SleepTime.Server;
using SleepTime.Testing;

// The time SleepTimeContextProvider adds to one agent turn: ProvideAIContextAsync (the committed learned context,
// 5,000 characters, as instructions) + StoreAIContextAsync (append the exchange, apply the schedule policy), through
// the framework's public InvokingAsync / InvokedAsync, with no model call, in two rows measured in the same run:
//   in-process: SleepTimeMemory (in-memory stores, the library scheduler);
//   remote: RemoteConversationMemory over the typed client against the real server in this process (loopback HTTP,
//   SQLite, the Quartz scheduler): a GET of the learned context and a POST of the append per turn.
// Each measured conversation starts at 20 turns and grows by TurnsPerConversation; the policy decides after every
// turn (every_turns = 0, so no run starts and no sleep competes for the CPU: the sleep itself runs in the background
// in a real app). Arguments: in-process conversations (default 40), remote conversations (default 10).
const int TurnsPerConversation = 250;
var localConversations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 40;
var remoteConversations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;

var learnedText = string.Concat(Enumerable.Repeat("The user plans a week in Oslo in March with two kids; pack for snow. ", 80))[..5_000];
var agentModel = new InstantChatClient("Noted.");
var user = new ChatMessage(ChatRole.User, "What should we pack for the second day?");
var reply = new ChatMessage(ChatRole.Assistant, "Warm layers, snow boots and a thermos.");
var quiet = new SchedulePolicy { OnChange = false, EveryTurns = 0 };
var firstTurns = Enumerable.Range(0, 20).Select(i => ContextInput.Turn(i % 2 == 0 ? "user" : "assistant", $"turn {i}")).ToList();

var local = new Samples();
for (var conversation = -2; conversation < localConversations; conversation++)
{
    // Two warm-up conversations (JIT, tiering) are measured but not counted.
    var sleepModel = new ScriptedChatClient(_ => ScriptedReply.RethinkAndFinish(learnedText));
    await using var memory = new SleepTimeMemory(sleepModel, new SleepTimeMemoryOptions { Schedule = quiet });
    var id = "bench-" + conversation.ToString(CultureInfo.InvariantCulture);
    await memory.AppendAsync(id, firstTurns);
    var sleep = await memory.Engine.SleepAsync(id);
    if (!sleep.Succeeded || sleep.LearnedContext!.Render().Length != 5_000)
    {
        throw new InvalidOperationException("The benchmark's learned context was not committed: " + sleep.Error);
    }

    await MeasureAsync(memory, id, conversation >= 0 ? local : null);
    if (memory.Runs().Count != 0 || sleepModel.CallCount != 1)
    {
        throw new InvalidOperationException("A model was called on the turn path.");
    }
}

var remote = new Samples();
var serverSleepModel = new ScriptedChatClient(_ => ScriptedReply.RethinkAndFinish(learnedText));
// The benchmark sends more than the default 200 requests per second per key: the rate limit is off here.
await using (var server = await LiveServer.StartAsync(sleepModel: serverSleepModel, settings: new() { ["SleepTime:Server:RateLimitPerSecond"] = "0" }))
{
    using var client = server.Client();
    for (var conversation = -2; conversation < remoteConversations; conversation++)
    {
        var id = "remote-" + conversation.ToString(CultureInfo.InvariantCulture);
        await client.Contexts.CreateConversationAsync(firstTurns.Select(t => new ContentItem(t.Text, t.Role)).ToList(), id, quiet);
        var run = await client.Runs.WaitAsync((await client.Runs.TriggerAsync(id)).Id, TimeSpan.FromMilliseconds(20));
        var learned = await client.Learned.GetCurrentAsync(id);
        if (run.Status != RunStatus.Succeeded || learned.Text.Length != 5_000)
        {
            throw new InvalidOperationException($"The server did not commit the benchmark's learned context: {run.Status} {run.Error}");
        }

        var callsBefore = serverSleepModel.CallCount;
        await MeasureAsync(new RemoteConversationMemory(client, new() { Timeout = TimeSpan.FromSeconds(30) }), id, conversation >= 0 ? remote : null);
        var runs = await client.Runs.ListForContextAsync(id);
        if (serverSleepModel.CallCount != callsBefore || runs.Count != 1)
        {
            throw new InvalidOperationException("A model was called on the turn path.");
        }

        if ((await client.Contexts.GetAsync(id, entries: false)).Turns != 20 + 2 * TurnsPerConversation)
        {
            throw new InvalidOperationException("The server did not record every turn.");
        }
    }
}

Report("in-process", local);
Report("remote (typed client, loopback, SQLite)", remote);

async Task MeasureAsync(IConversationMemory memory, string id, Samples? samples)
{
    var provider = new SleepTimeContextProvider(memory, new SleepTimeContextProviderOptions { SharedMemoryId = id });
    AIAgent agent = agentModel.AsAIAgent(new ChatClientAgentOptions { AIContextProviders = [provider] });
    var session = await agent.CreateSessionAsync();
    for (var turn = 0; turn < TurnsPerConversation; turn++)
    {
        var started = Stopwatch.GetTimestamp();
        var provided = await provider.InvokingAsync(new AIContextProvider.InvokingContext(agent, session, new AIContext { Messages = [user] }));
        var providedAt = Stopwatch.GetTimestamp();
        await provider.InvokedAsync(new AIContextProvider.InvokedContext(agent, session, [user], [reply]));
        var stored = Stopwatch.GetElapsedTime(providedAt).TotalMilliseconds;
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (provided.Instructions?.Contains(learnedText, StringComparison.Ordinal) != true)
        {
            throw new InvalidOperationException("The provider did not supply the learned context.");
        }

        samples?.Add(elapsed, elapsed - stored, stored);
    }
}

static void Report(string label, Samples samples) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"provide + store, {label}, 5,000-character learned context, {samples.Turns.Count:N0} turns: p50 {Samples.Percentile(samples.Turns, 0.50):F4} ms, p99 {Samples.Percentile(samples.Turns, 0.99):F4} ms, max {Samples.Percentile(samples.Turns, 1):F3} ms (provide p50 {Samples.Percentile(samples.Provides, 0.50):F4} ms, store p50 {Samples.Percentile(samples.Stores, 0.50):F4} ms)"));

/// <summary>Per-turn times: the whole turn, and its provide and store parts.</summary>
internal sealed class Samples
{
    public List<double> Turns { get; } = [];

    public List<double> Provides { get; } = [];

    public List<double> Stores { get; } = [];

    public void Add(double turn, double provide, double store)
    {
        Turns.Add(turn);
        Provides.Add(provide);
        Stores.Add(store);
    }

    public static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }
}
