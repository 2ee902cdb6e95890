namespace SleepTime.Client.Tests;

/// <summary>The <c>samples/SleepTime.ServerClientSample</c> client, run end to end against the real server in this process.</summary>
public sealed class ServerClientSampleTests
{
    [Fact]
    public async Task The_sample_sleeps_on_the_server_answers_from_the_learned_context_and_reads_the_cost()
    {
        await using var server = await LiveServer.StartAsync();
        using var client = await server.TenantClientAsync("sample");
        var output = new StringWriter();

        await ServerClientSample.RunAsync(client, output, Waits.Deadline());

        var text = output.ToString();
        Assert.Contains($"characters\n", text, StringComparison.Ordinal);
        Assert.Contains("event run.queued (queued)\nevent run.started (running)\nevent run.succeeded (succeeded)\nevent memory.updated\n", text, StringComparison.Ordinal);
        Assert.Contains($"learned context v1 (", text, StringComparison.Ordinal);
        Assert.Contains($"Learned: y = 6. ", text, StringComparison.Ordinal);
        Assert.Contains($"> {ServerClientSample.Question}\nThe answer is 42.\n[sleep_time, 1208 test tokens, learned context v1]\n", text, StringComparison.Ordinal);
        Assert.Contains("usage: 1 queries, 1 sleep runs, amortized cost per query", text, StringComparison.Ordinal);
    }
}
