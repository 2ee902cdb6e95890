using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using SleepTime.Testing.OpenAiCompatible;

namespace SleepTime.Server.Tests.Processes;

/// <summary>
/// An OpenAI-compatible sleep model over real HTTP that takes <see cref="Delay"/> to answer each call: a context's
/// sleep with the paper's two tool calls, a sleep-time agent's with one <c>memory_insert</c> per fact (<see cref="Fact"/>)
/// in its new material, then <c>memory_finish_edits</c>. Contexts and agents' blocks carry a marker (<see cref="Marker"/>)
/// so it can tell, per sleeper, how many calls it got and whether two of them were in flight at once.
/// </summary>
public sealed partial class SlowSleepModel : IAsyncDisposable
{
    // A call counts as in flight from its arrival until shortly before its reply is sent, so the overlap check
    // never flags a call that arrived just after the previous reply (no false alarms, at the price of missing
    // overlaps shorter than this margin).
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(20);

    private readonly ConcurrentDictionary<string, int> inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> overlaps = new(StringComparer.Ordinal);
    private readonly FakeOpenAiServer server;
    private int total;

    private SlowSleepModel(FakeOpenAiServer server, TimeSpan delay)
    {
        this.server = server;
        Delay = delay;
    }

    public TimeSpan Delay { get; }

    public Uri BaseUrl => server.BaseUrl;

    /// <summary>Calls received so far, over all contexts.</summary>
    public int TotalCalls => Volatile.Read(ref total);

    /// <summary>Contexts whose calls overlapped, with how many times a call arrived while another was in flight.</summary>
    public IReadOnlyDictionary<string, int> Overlaps => new Dictionary<string, int>(overlaps);

    /// <summary>Calls being answered right now, over all contexts.</summary>
    public int InFlight => inFlight.Values.Sum();

    public IReadOnlyDictionary<string, int> CallsPerContext => new Dictionary<string, int>(calls);

    /// <summary>The text that identifies <paramref name="contextId"/> inside a prompt.</summary>
    public static string Marker(string contextId) => $"[[ctx:{contextId}]]";

    /// <summary>A fact an agent's new material can carry: the model inserts each one into the block <c>human</c>.</summary>
    public static string Fact(int n) => $"fact-{n}";

    /// <summary>The environment that points a server process's sleep and test models at this fake.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["SleepTime__Models__Sleep__Provider"] = "OpenAICompatible",
        ["SleepTime__Models__Sleep__Endpoint"] = BaseUrl.ToString(),
        ["SleepTime__Models__Sleep__Model"] = "fake",
        ["SleepTime__Models__Sleep__MaxRetries"] = "0",
    };

    public static async Task<SlowSleepModel> StartAsync(TimeSpan delay)
    {
        var server = await FakeOpenAiServer.StartAsync();
        var model = new SlowSleepModel(server, delay);
        server.Responder = model.Respond;
        return model;
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();

    private FakeReply Respond(FakeChatRequest request)
    {
        Interlocked.Increment(ref total);
        var contextId = MarkerPattern().Match(request.LastUserText ?? "") is { Success: true } m ? m.Groups[1].Value : "(unmarked)";
        var call = calls.AddOrUpdate(contextId, 1, (_, n) => n + 1);
        if (inFlight.AddOrUpdate(contextId, 1, (_, n) => n + 1) > 1)
        {
            overlaps.AddOrUpdate(contextId, 1, (_, n) => n + 1);
        }

        _ = Task.Delay(Delay - Margin).ContinueWith(_ => inFlight.AddOrUpdate(contextId, 0, (_, n) => n - 1), TaskScheduler.Default);
        if (request.Tools.Any(t => t.Name == "memory_insert"))
        {
            // Only the new material: the blocks shown above it already hold earlier facts.
            var input = request.LastUserText ?? "";
            var news = input[Math.Max(0, input.IndexOf("## New conversation", StringComparison.Ordinal))..];
            var inserts = FactPattern().Matches(news).Select(f => f.Value).Distinct()
                .Select(f => ("memory_insert", JsonSerializer.Serialize(new { label = "human", text = f })));
            return FakeReply.Delay(Delay, FakeReply.ToolCalls([.. inserts, ("memory_finish_edits", "{}")]));
        }

        var memory = JsonSerializer.Serialize(new { new_memory = $"memo of {contextId}, call {call}" });
        return FakeReply.Delay(Delay, FakeReply.ToolCalls(("rethink_memory", memory), ("finish_rethinking_memory", "{}")));
    }

    [GeneratedRegex(@"\[\[ctx:([A-Za-z0-9_\-]+)\]\]")]
    private static partial Regex MarkerPattern();

    [GeneratedRegex(@"\bfact-\d+\b")]
    private static partial Regex FactPattern();
}
