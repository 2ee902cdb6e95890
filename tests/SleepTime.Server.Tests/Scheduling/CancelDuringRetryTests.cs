using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SleepTime.Storage;
using SleepTime.Testing;

namespace SleepTime.Server.Tests.Scheduling;

/// <summary>
/// A cancel that arrives while a run waits out a retry's backoff ends the run cancelled, promptly, without another
/// model call, and never sends the executor round in a loop re-claiming the run.
/// </summary>
public sealed class CancelDuringRetryTests
{
    private const string Tenant = ServerStartup.DefaultTenant;

    [Fact]
    public async Task A_run_cancelled_during_its_retry_backoff_ends_cancelled_without_another_model_call()
    {
        var model = new ScriptedChatClient(_ => throw new HttpRequestException("fake model: 503"));
        await using var factory = new ServerFactory(sleepModel: model, settings: new() { ["SleepTime:Scheduling:RetryBaseDelaySeconds"] = "5" });
        var client = factory.Client();
        await client.PostOkAsync("/api/contexts", new { id = "flaky", text = "hello", schedule = new { on_change = false } });
        var runId = (await client.PostOkAsync("/api/contexts/flaky/runs", new { })).GetProperty("id").GetString()!;
        await WaitForBackoffAsync(client, runId);
        var callsBeforeCancel = model.CallCount;
        Assert.True(callsBeforeCancel > 0);

        var cancelled = Stopwatch.StartNew();
        var cancel = await client.PostAsync($"/api/runs/{runId}/cancel", null);
        Assert.True(cancel.IsSuccessStatusCode, $"{(int)cancel.StatusCode}");
        var run = await WaitForFinalAsync(client, runId, TimeSpan.FromSeconds(20));

        Assert.Equal("cancelled", run.GetProperty("status").GetString());
        Assert.Equal(1, run.GetProperty("attempt").GetInt32());
        // The backoff is 5 s: the cancel ended the wait instead of letting it run out.
        Assert.True(cancelled.Elapsed < TimeSpan.FromSeconds(4), $"took {cancelled.Elapsed}");
        await Task.Delay(300);
        Assert.Equal(callsBeforeCancel, model.CallCount);
    }

    [Fact]
    public async Task A_run_cancelled_during_its_retry_backoff_while_over_its_token_cap_does_not_loop()
    {
        // The first attempt fails (no tool calls: three calls of 120 tokens, under the cap) and is retried; the next attempt would cross the cap.
        var model = new ScriptedChatClient(_ => ScriptedReply.Text("no tools here"));
        await using var factory = new ServerFactory(sleepModel: model, settings: new() { ["SleepTime:Scheduling:RetryBaseDelaySeconds"] = "2" });
        var client = factory.Client();
        await client.PostOkAsync("/api/contexts", new { id = "capped", text = "hello", schedule = new { on_change = false, daily_token_cap = 500 } });
        var runId = (await client.PostOkAsync("/api/contexts/capped/runs", new { })).GetProperty("id").GetString()!;
        await WaitForBackoffAsync(client, runId);
        var callsBeforeCancel = model.CallCount;

        var cancel = await client.PostAsync($"/api/runs/{runId}/cancel", null);
        Assert.True(cancel.IsSuccessStatusCode, $"{(int)cancel.StatusCode}");
        var run = await WaitForFinalAsync(client, runId, TimeSpan.FromSeconds(10));

        Assert.Equal("cancelled", run.GetProperty("status").GetString());
        Assert.InRange(run.GetProperty("attempt").GetInt32(), 1, 2);
        await Task.Delay(500);
        run = await client.GetOkAsync($"/api/runs/{runId}");
        Assert.Equal("cancelled", run.GetProperty("status").GetString());
        Assert.InRange(run.GetProperty("attempt").GetInt32(), 1, 2);
        Assert.Equal(callsBeforeCancel, model.CallCount);
    }

    [Fact]
    public async Task A_running_run_claimed_again_with_a_cancel_pending_ends_cancelled_without_a_model_call()
    {
        // As after a crash during the backoff: the run is left running, its cancel already recorded.
        var model = new ScriptedChatClient(_ => ScriptedReply.RethinkAndFinish("memo"));
        await using var factory = new ServerFactory(sleepModel: model);
        await factory.Client().PostOkAsync("/api/contexts", new { id = "left", text = "hello", schedule = new { on_change = false } });
        var runs = factory.Services.GetRequiredService<RunStore>();
        await runs.EnqueueAsync(Tenant, SleeperKind.Context, "left", "left", "manual", DateTimeOffset.UtcNow);
        var claimed = (await runs.ClaimNextAsync(Tenant, SleeperKind.Context, "left", "dead-node"))!;
        Assert.True(await runs.RequestCancelAsync(Tenant, claimed.Id));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await factory.Services.GetRequiredService<RunExecutor>().WorkAsync(Tenant, SleeperKind.Context, "left", SleepScheduler.RunTrigger, timeout.Token);

        var run = (await runs.GetAsync(Tenant, claimed.Id))!;
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal(2, run.Attempt);
        Assert.Equal(0, model.CallCount);
    }

    [Fact]
    public async Task A_run_out_of_attempts_with_a_cancel_pending_ends_cancelled_instead_of_being_claimed_again_and_again()
    {
        var model = new ScriptedChatClient(_ => ScriptedReply.RethinkAndFinish("memo"));
        await using var factory = new ServerFactory(sleepModel: model, settings: new() { ["SleepTime:Scheduling:MaxAttempts"] = "2" });
        await factory.Client().PostOkAsync("/api/contexts", new { id = "spent", text = "hello", schedule = new { on_change = false } });
        var runs = factory.Services.GetRequiredService<RunStore>();
        await runs.EnqueueAsync(Tenant, SleeperKind.Context, "spent", "spent", "manual", DateTimeOffset.UtcNow);
        var claimed = (await runs.ClaimNextAsync(Tenant, SleeperKind.Context, "spent", "dead-node"))!;
        await runs.ClaimNextAsync(Tenant, SleeperKind.Context, "spent", "dead-node");
        Assert.True(await runs.RequestCancelAsync(Tenant, claimed.Id));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await factory.Services.GetRequiredService<RunExecutor>().WorkAsync(Tenant, SleeperKind.Context, "spent", SleepScheduler.RunTrigger, timeout.Token);

        Assert.False(timeout.IsCancellationRequested, "WorkAsync kept re-claiming the run until the timeout.");
        var run = (await runs.GetAsync(Tenant, claimed.Id))!;
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal(3, run.Attempt);
        Assert.Equal(0, model.CallCount);
    }

    /// <summary>Waits until the run's first attempt failed and it waits for its retry.</summary>
    private static async Task WaitForBackoffAsync(HttpClient client, string runId)
    {
        for (var i = 0; i < 400; i++)
        {
            var run = await client.GetOkAsync($"/api/runs/{runId}");
            var status = run.GetProperty("status").GetString();
            if (status == "running" && run.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            {
                return;
            }

            Assert.True(status is "queued" or "running", $"run ended {status} before its retry");
            await Task.Delay(20);
        }

        throw new TimeoutException($"Run {runId} never waited for a retry.");
    }

    private static async Task<JsonElement> WaitForFinalAsync(HttpClient client, string runId, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        JsonElement run;
        do
        {
            run = await client.GetOkAsync($"/api/runs/{runId}");
            if (run.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled" or "skipped")
            {
                return run;
            }

            await Task.Delay(50);
        }
        while (clock.Elapsed < within);

        Assert.Fail($"Run {runId} is not final after {within}: status {run.GetProperty("status")}, attempt {run.GetProperty("attempt")}.");
        return run;
    }
}
