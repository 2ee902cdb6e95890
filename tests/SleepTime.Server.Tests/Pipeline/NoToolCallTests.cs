using System.Text.Json;
using SleepTime.Testing;

namespace SleepTime.Server.Tests.Pipeline;

/// <summary>
/// A model that never calls a tool: the agent's run fails with reason NoToolCalls and its watermark stays, so the next
/// run, once the model behaves, reads the same transcript and its fact lands in the block.
/// </summary>
public sealed class NoToolCallTests
{
    [Fact]
    public async Task A_run_whose_model_never_calls_a_tool_fails_and_the_next_run_reads_the_same_input()
    {
        var behaves = false;
        var sleep = new ScriptedChatClient(call =>
            !Volatile.Read(ref behaves) ? ScriptedReply.Text("Nothing here seems worth remembering.")
            : call.ToolResults.Count > 0 ? SleepModels.Finish()
            : ScriptedReply.ToolCalls(("memory_insert", new { label = "human", text = "Keeps bees" })));
        await using var factory = new ServerFactory(sleepModel: sleep, testModel: SleepModels.Primary());
        var client = factory.Client();
        var (agentId, blockId) = await client.CreateAgentAsync();
        var sleeperId = await client.CreateSleeperAsync(agentId, new { every_turns = 0 });
        await client.SendAsync(agentId, "I keep bees.");
        var before = await client.BlockAsync(blockId);

        var failed = await client.WaitForSleepTimeRunAsync((await client.TriggerAsync(sleeperId)).Id());
        Assert.Equal(("failed", "no_tool_calls"), (failed.Status(), failed.GetProperty("reason").GetString()));
        Assert.Contains("never called a tool", failed.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("read_to").ValueKind);
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("change_set_id").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, failed.GetProperty("read_from").ValueKind);
        var unchanged = await client.BlockAsync(blockId);
        Assert.Equal(before.GetProperty("version").GetInt64(), unchanged.GetProperty("version").GetInt64());
        Assert.Equal(before.GetProperty("value").GetString(), unchanged.GetProperty("value").GetString());

        Volatile.Write(ref behaves, true);
        var next = await client.WaitForSleepTimeRunAsync((await client.TriggerAsync(sleeperId)).Id());

        Assert.Equal("succeeded", next.Status());
        Assert.Equal(failed.GetProperty("read_from").GetRawText(), next.GetProperty("read_from").GetRawText());
        Assert.NotEqual(next.GetProperty("read_from").GetRawText(), next.GetProperty("read_to").GetRawText());
        Assert.Contains("I keep bees.", sleep.RunInputs()[^1]);
        Assert.Equal("Name: Ada\nLikes tea\nKeeps bees", await client.BlockValueAsync(blockId));
    }
}
