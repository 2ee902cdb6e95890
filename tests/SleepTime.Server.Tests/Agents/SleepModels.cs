using Microsoft.Extensions.AI;
using SleepTime.Testing;

namespace SleepTime.Server.Tests;

/// <summary>Scripted sleep-time agent models: one batch of memory tool calls, then <c>memory_finish_edits</c>.</summary>
public static class SleepModels
{
    public static ScriptedChatClient Editing(params (string Name, object? Arguments)[] edits) =>
        new(call => call.ToolResults.Count > 0 ? Finish() : ScriptedReply.ToolCalls(edits));

    /// <summary>Like <see cref="Editing"/>, but the first call waits for <paramref name="release"/> and reports itself on <paramref name="called"/>.</summary>
    public static ScriptedChatClient Gated(TaskCompletionSource called, Task release, params (string Name, object? Arguments)[] edits)
    {
        var model = new ScriptedChatClient(call => call.ToolResults.Count > 0 ? Finish() : ScriptedReply.ToolCalls(edits));
        model.Then(async (_, ct) =>
        {
            called.TrySetResult();
            await release.WaitAsync(ct);
            return ScriptedReply.ToolCalls(edits);
        });
        return model;
    }

    public static ChatResponse Finish() => ScriptedReply.ToolCalls(("memory_finish_edits", null));

    public static ScriptedChatClient Primary() => new(_ => ScriptedReply.Text("Noted."));
}
