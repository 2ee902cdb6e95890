using System.Globalization;
using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using SleepTime.Storage;

namespace SleepTime.Console.Tests;

/// <summary><c>GET /api/overview</c>: the tenant's counts, runs in flight and ledger per UTC day, in the caller's tenant only.</summary>
public sealed class OverviewApiTests : IAsyncLifetime
{
    private ConsoleServer server = null!;

    public async Task InitializeAsync() => server = await ConsoleServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Counts_are_the_callers_tenants_only()
    {
        using var admin = server.Client();
        foreach (var id in new[] { "a", "b", "c" })
        {
            await ConsoleServer.PostOkAsync(admin, "/api/contexts", new { id, text = "x", schedule = new { on_change = false } });
        }

        await ConsoleServer.PostOkAsync(admin, "/api/agents", new { name = "assistant", instructions = "Be brief." });
        using var other = server.Client(await server.CreateTenantAsync("other"));
        await ConsoleServer.PostOkAsync(other, "/api/contexts", new { id = "a", text = "y", schedule = new { on_change = false } });

        var mine = await ConsoleServer.GetOkAsync(admin, "/api/overview");
        var theirs = await ConsoleServer.GetOkAsync(other, "/api/overview");
        Assert.Equal((3L, 1L), (mine.GetProperty("contexts").GetInt64(), mine.GetProperty("agents").GetInt64()));
        Assert.Equal((1L, 0L), (theirs.GetProperty("contexts").GetInt64(), theirs.GetProperty("agents").GetInt64()));
    }

    [Fact]
    public async Task Runs_in_flight_count_the_running_and_the_queued_run_until_they_finish()
    {
        using var admin = server.Client();
        await ConsoleServer.PostOkAsync(admin, "/api/contexts", new { id = "held", text = "x = 1.", schedule = new { on_change = false } });
        server.SleepModel.Hold();
        var first = await ConsoleServer.PostOkAsync(admin, "/api/contexts/held/runs", new { });
        await server.SleepModel.Arrived.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await ConsoleServer.PostOkAsync(admin, "/api/contexts/held/append", new { text = "y = 2." });
        var second = await ConsoleServer.PostOkAsync(admin, "/api/contexts/held/runs", new { });
        Assert.NotEqual(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());

        var during = await ConsoleServer.GetOkAsync(admin, "/api/overview");
        Assert.Equal((1L, 1L), (during.GetProperty("runs_running").GetInt64(), during.GetProperty("runs_queued").GetInt64()));

        server.SleepModel.Release();
        await ConsoleServer.WaitForFinalRunAsync(admin, $"/api/runs/{second.GetProperty("id").GetString()}");
        var after = await ConsoleServer.GetOkAsync(admin, "/api/overview");
        Assert.Equal((0L, 0L), (after.GetProperty("runs_running").GetInt64(), after.GetProperty("runs_queued").GetInt64()));
    }

    [Fact]
    public async Task The_series_has_one_entry_per_utc_day_ending_today_with_the_ledgers_tokens()
    {
        using var admin = server.Client();
        await ConsoleServer.PostOkAsync(admin, "/api/contexts", new { id = "ledger", text = "x = 1.", schedule = new { on_change = false } });
        var run = await ConsoleServer.PostOkAsync(admin, "/api/contexts/ledger/runs", new { });
        await ConsoleServer.WaitForFinalRunAsync(admin, $"/api/runs/{run.GetProperty("id").GetString()}");
        var answer = await ConsoleServer.PostOkAsync(admin, "/api/contexts/ledger/queries", new { question = "x?" });

        // A sleep booked two days ago lands on its own day, not today's.
        var today = DateTime.UtcNow.Date;
        var twoDaysAgo = today.AddDays(-2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var database = server.Services.GetRequiredService<SleepTimeDatabase>();
        await using (var connection = await database.OpenAsync())
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO usage_ledger (tenant_id, memory_id, sleeper_id, phase, arm, run_id, query_id, input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, estimated, day, created_at)
                VALUES ('default', 'ledger', 'ledger', 'Sleep', NULL, 'run_old', NULL, 700, 77, 0, 0, 0, @day, 0)
                """,
                new { day = twoDaysAgo });
        }

        var overview = await ConsoleServer.GetOkAsync(admin, "/api/overview");
        var usage = await ConsoleServer.GetOkAsync(admin, "/api/contexts/ledger/usage");
        var days = overview.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(14, days.Count);
        Assert.Equal(today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), days[^1].GetProperty("day").GetString());
        Assert.Equal(Enumerable.Range(0, 14).Select(i => today.AddDays(i - 13).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), days.Select(d => d.GetProperty("day").GetString()));

        var sleepToday = usage.GetProperty("sleep_tokens_today").GetInt64();
        var testTokens = answer.GetProperty("usage").GetProperty("input_tokens").GetInt64() + answer.GetProperty("usage").GetProperty("output_tokens").GetInt64();
        Assert.True(sleepToday > 0);
        Assert.Equal((sleepToday, testTokens, 1L, 1L), (days[^1].GetProperty("sleep_tokens").GetInt64(), days[^1].GetProperty("test_tokens").GetInt64(), days[^1].GetProperty("queries").GetInt64(), days[^1].GetProperty("sleep_runs").GetInt64()));
        Assert.Equal((sleepToday, testTokens, 1L), (overview.GetProperty("sleep_tokens_today").GetInt64(), overview.GetProperty("test_tokens_today").GetInt64(), overview.GetProperty("queries_today").GetInt64()));
        Assert.Equal((777L, 1L), (days[^3].GetProperty("sleep_tokens").GetInt64(), days[^3].GetProperty("sleep_runs").GetInt64()));
        Assert.All(days.Take(11), d => Assert.Equal(0, d.GetProperty("sleep_tokens").GetInt64() + d.GetProperty("test_tokens").GetInt64()));

        Assert.Equal(3, (await ConsoleServer.GetOkAsync(admin, "/api/overview?days=3")).GetProperty("days").GetArrayLength());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("91")]
    [InlineData("many")]
    public async Task A_day_count_out_of_range_is_a_problem_naming_the_parameter(string days)
    {
        using var admin = server.Client();
        using var response = await admin.GetAsync($"/api/overview?days={days}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("days", problem.GetProperty("field").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }
}
