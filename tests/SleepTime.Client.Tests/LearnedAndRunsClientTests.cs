using System.Net;
using SleepTime.Server;

namespace SleepTime.Client.Tests;

public sealed class LearnedAndRunsClientTests
{
    [Fact]
    public async Task Two_sleeps_give_the_current_learned_context_its_history_versions_provenance_and_a_diff()
    {
        await using var server = await LiveServer.StartAsync();
        using var client = await server.TenantClientAsync("learned");
        var ct = Waits.Deadline();
        await client.Contexts.CreateDocumentAsync("x = 3.", id: "doc", schedule: new SchedulePolicy { OnChange = false });
        Assert.Null(await client.Learned.FindCurrentAsync("doc", ct));
        var none = await Assert.ThrowsAsync<SleepTimeApiException>(() => client.Learned.GetCurrentAsync("doc", ct));
        Assert.Equal(HttpStatusCode.NotFound, none.Status);

        var first = await client.Runs.WaitAsync((await client.Runs.TriggerAsync("doc", ct)).Id, Waits.Poll, ct);
        Assert.Equal((RunStatus.Succeeded, TriggerKinds.Manual, 1L), (first.Status, first.Trigger, first.LearnedVersion));
        await client.Contexts.AppendTextAsync("doc", " y = 2x.", ct);
        var second = await client.Runs.WaitAsync((await client.Runs.TriggerAsync("doc", ct)).Id, Waits.Poll, ct);
        Assert.Equal(2L, second.LearnedVersion);

        var current = await client.Learned.GetCurrentAsync("doc", ct);
        Assert.Equal(2L, current.Version);
        Assert.Contains("Learned: y = 6.", current.Text, StringComparison.Ordinal);
        Assert.Equal(current, await client.Learned.FindCurrentAsync("doc", ct), LearnedComparer.Instance);
        Assert.Equal([2L, 1L], (await client.Learned.HistoryAsync("doc", ct)).Select(l => l.Version));
        var v1 = await client.Learned.GetVersionAsync("doc", 1, ct);
        Assert.Equal(1L, v1.Version);
        var provenance = await client.Learned.GetProvenanceAsync("doc", 2, ct);
        Assert.Equal(current.Provenance.SourceVersion, provenance.SourceVersion);
        Assert.True(provenance.Usage.TotalTokens > 0);

        var diff = await client.Learned.DiffAsync("doc", 1, 2, ct);
        Assert.Equal((1L, 2L), (diff.From, diff.To));
        Assert.Contains(diff.Lines, l => l.Op == "-" && v1.Text.Contains(l.Text, StringComparison.Ordinal) && l.Text.Contains("Learned", StringComparison.Ordinal));
        Assert.Contains(diff.Lines, l => l.Op == "+" && current.Text.Contains(l.Text, StringComparison.Ordinal) && l.Text.Contains("Learned", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Runs_list_get_and_cancel_and_a_finished_run_refuses_cancel_with_a_409()
    {
        await using var server = await LiveServer.StartAsync();
        using var client = await server.TenantClientAsync("runs");
        var ct = Waits.Deadline();
        await client.Contexts.CreateDocumentAsync("a = 1.", id: "doc", schedule: new SchedulePolicy { OnChange = false }, cancellationToken: ct);
        var run = await client.Runs.WaitAsync((await client.Runs.TriggerAsync("doc", ct)).Id, Waits.Poll, ct);

        Assert.Equal(run.Id, (await client.Runs.GetAsync(run.Id, ct)).Id);
        Assert.Contains(await client.Runs.ListAsync(cancellationToken: ct), r => r.Id == run.Id);
        Assert.Contains(await client.Runs.ListAsync(kind: SleeperKind.Context, status: RunStatus.Succeeded, limit: 10, cancellationToken: ct), r => r.Id == run.Id);
        Assert.Empty(await client.Runs.ListAsync(status: RunStatus.Failed, cancellationToken: ct));
        Assert.Equal([run.Id], (await client.Runs.ListForContextAsync("doc", cancellationToken: ct)).Select(r => r.Id));

        var refused = await Assert.ThrowsAsync<SleepTimeApiException>(() => client.Runs.CancelAsync(run.Id, ct));
        Assert.Equal((HttpStatusCode.Conflict, "Run already finished"), (refused.Status, refused.Title));
    }

    [Fact]
    public async Task A_queued_run_is_cancelled()
    {
        var release = new TaskCompletionSource();
        var sleep = new SleepTime.Testing.ScriptedChatClient(_ => SleepTime.Testing.ScriptedReply.RethinkAndFinish("Learned."));
        sleep.Then(async (_, token) =>
        {
            await release.Task.WaitAsync(token);
            return SleepTime.Testing.ScriptedReply.RethinkAndFinish("Learned.");
        });
        await using var server = await LiveServer.StartAsync(sleepModel: sleep);
        using var client = await server.TenantClientAsync("cancel");
        var ct = Waits.Deadline();
        await client.Contexts.CreateDocumentAsync("a = 1.", id: "doc", schedule: new SchedulePolicy { OnChange = false }, cancellationToken: ct);
        var blocked = await client.Runs.TriggerAsync("doc", ct);
        while ((await client.Runs.GetAsync(blocked.Id, ct)).Status != RunStatus.Running)
        {
            await Task.Delay(Waits.Poll, ct);
        }

        await client.Contexts.AppendTextAsync("doc", " b = 2.", ct);
        var queued = await client.Runs.TriggerAsync("doc", ct);
        Assert.NotEqual(blocked.Id, queued.Id);
        var cancelled = await client.Runs.CancelAsync(queued.Id, ct);
        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
        release.SetResult();
        Assert.Equal(RunStatus.Succeeded, (await client.Runs.WaitAsync(blocked.Id, Waits.Poll, ct)).Status);
        Assert.Equal(RunStatus.Cancelled, (await client.Runs.GetAsync(queued.Id, ct)).Status);
    }

    private sealed class LearnedComparer : IEqualityComparer<LearnedContextView?>
    {
        public static LearnedComparer Instance { get; } = new();

        public bool Equals(LearnedContextView? x, LearnedContextView? y) => x?.ContextId == y?.ContextId && x?.Version == y?.Version && x?.Text == y?.Text;

        public int GetHashCode(LearnedContextView? obj) => obj?.Version.GetHashCode() ?? 0;
    }
}
