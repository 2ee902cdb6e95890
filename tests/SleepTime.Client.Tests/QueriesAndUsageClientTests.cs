using SleepTime.Server;

namespace SleepTime.Client.Tests;

public sealed class QueriesAndUsageClientTests
{
    [Fact]
    public async Task Ask_with_a_budget_and_an_arm_waits_for_the_run_and_the_usage_counts_both_phases()
    {
        await using var server = await LiveServer.StartAsync();
        using var client = await server.TenantClientAsync("queries");
        var ct = Waits.Deadline();
        await client.Contexts.CreateDocumentAsync("x = 3. y = 2x.", id: "doc", cancellationToken: ct);

        var waited = await client.Queries.AskAsync("doc", new AskRequest("What is y?", "sleep_time", new BudgetRequest(0, 64, null), null, WaitForRun: true, WaitTimeoutSeconds: 30), ct);
        Assert.Equal(("sleep_time", 0, "The answer is 42."), (waited.Arm, waited.Verbosity, waited.Answer));
        Assert.Equal(1L, waited.LearnedVersion);
        var baseline = await client.Queries.AskAsync("doc", new AskRequest("What is y?", "baseline", new BudgetRequest(4, null, null), null, null, null), ct);
        Assert.Equal(("baseline", 4), (baseline.Arm, baseline.Verbosity));
        var simple = await client.Queries.AskAsync("doc", "And x?", cancellationToken: ct);
        Assert.Equal("sleep_time", simple.Arm);

        var listed = await client.Queries.ListAsync("doc", cancellationToken: ct);
        Assert.Equal(new[] { waited.Id, baseline.Id, simple.Id }.Order(), listed.Select(q => q.Id).Order());
        Assert.Equal(baseline.Answer, (await client.Queries.GetAsync("doc", baseline.Id, ct)).Answer);

        var context = await client.Usage.ContextAsync("doc", ct);
        Assert.Equal(("context:doc", 2L, 1L, 1L), (context.Scope, context.QueriesAnswered, context.BaselineQueries, context.SleepRuns));
        Assert.True(context.SleepTokens.TotalTokens > 0 && context.TestTokens.TotalTokens > 0);
        var tenant = await client.Usage.TenantAsync(ct);
        Assert.Equal(("tenant", context.TestTokens.TotalTokens), (tenant.Scope, tenant.TestTokens.TotalTokens));
    }
}
