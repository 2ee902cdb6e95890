using SleepTime;
using SleepTime.Client;
using SleepTime.Client.Events;
using SleepTime.Server;

// A client of a running `sleeptime serve`: give it a document, let it sleep, ask on a small budget, read the cost.
var server = Environment.GetEnvironmentVariable("SLEEPTIME_URL") ?? "http://127.0.0.1:5000";
using var client = SleepTimeClient.Create(new Uri(server), Environment.GetEnvironmentVariable("SLEEPTIME_API_KEY"));
try
{
    await ServerClientSample.RunAsync(client, Console.Out);
}
catch (HttpRequestException ex)
{
    Console.WriteLine($"Cannot reach {server} ({ex.Message}): start `sleeptime serve` and set SLEEPTIME_URL and SLEEPTIME_API_KEY.");
}
catch (SleepTimeApiException ex)
{
    Console.WriteLine($"The server refused: {ex.Message}");
}

public static class ServerClientSample
{
    public const string Document = "A train leaves Oslo at 07:00 at 80 km/h. A second train leaves Bergen, 480 km away, at 08:00 at 120 km/h towards Oslo.";

    public const string Question = "At what time do the trains meet?";

    public static async Task RunAsync(SleepTimeClient client, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(output);

        // The context sleeps when asked here; a real app would leave the default (sleep soon after each change).
        var context = await client.Contexts.CreateDocumentAsync(Document, schedule: new SchedulePolicy { OnChange = false }, cancellationToken: cancellationToken);
        output.Write($"context {context.Id}: {context.Length} characters\n");

        // Follow the context's events while it sleeps (a dropped connection resumes where it left off).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var committed = FollowUntilCommittedAsync(client, context.Id, connected, stop.Token);
        await connected.Task.WaitAsync(cancellationToken);

        var run = await client.Runs.TriggerAsync(context.Id, cancellationToken);
        output.Write($"sleep queued: run {run.Id}\n");
        foreach (var line in await committed)
        {
            output.Write(line + "\n");
        }

        var learned = await client.Learned.GetCurrentAsync(context.Id, cancellationToken);
        output.Write($"learned context v{learned.Version} ({learned.Provenance.Usage.TotalTokens} sleep tokens):\n{learned.Text}\n");

        var answer = await client.Queries.AskAsync(context.Id, Question, new BudgetRequest(Verbosity: 0, MaxTokens: 64, ReasoningEffort: null), cancellationToken);
        output.Write($"> {Question}\n{answer.Answer}\n[{answer.Arm}, {answer.Usage.TotalTokens} test tokens, learned context v{answer.LearnedVersion}]\n");

        var usage = await client.Usage.ContextAsync(context.Id, cancellationToken);
        output.Write($"usage: {usage.QueriesAnswered} queries, {usage.SleepRuns} sleep runs, amortized cost per query {usage.AmortizedCostPerQuery:0.#}\n");
    }

    /// <summary>The context's events, one line each, until its learned context was committed.</summary>
    private static async Task<List<string>> FollowUntilCommittedAsync(SleepTimeClient client, string contextId, TaskCompletionSource connected, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        var options = new EventStreamOptions { Connected = () => connected.TrySetResult() };
        await foreach (var e in client.Events.ContextAsync(contextId, options: options, cancellationToken: cancellationToken))
        {
            lines.Add($"event {e.Type}{(e.Run is { } r ? $" ({r.Status})" : "")}");
            if (e.Type == "memory.updated")
            {
                return lines;
            }

            if (e.Run is { Status: RunStatus.Failed or RunStatus.Cancelled or RunStatus.Skipped } ended)
            {
                throw new InvalidOperationException($"The sleep run ended {ended.Status}: {ended.Error ?? ended.Reason}");
            }
        }

        return lines;
    }
}
