using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>
/// One sleep-time run's conversation with its model: the blocks (with line numbers) and the new material go in,
/// memory edits come back as tool calls and are applied to working copies. Invalid edits are answered with a tool
/// error so the model can correct itself; nothing touches the stored blocks. The result is the proposed changes.
/// </summary>
public sealed class SleepTimeAgentLoop(IChatClient model, SleepTimeLoopOptions? options = null, ITokenCounter? tokenCounter = null, TimeProvider? timeProvider = null)
{
    private readonly SleepTimeLoopOptions options = options ?? new SleepTimeLoopOptions();
    private readonly UsageMeter meter = new(tokenCounter ?? O200kTokenCounter.Instance);
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    public async Task<SleepTimeOutcome> RunAsync(SleepTimeInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var systemPrompt = PromptLibrary.Default.Get("sleep-time-agent");
        var state = new RunState(input.Blocks);
        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, systemPrompt.Render(("date", FormatDate(time.GetUtcNow())), ("confirmed_marker", ConfirmedLines.Marker))),
            new(ChatRole.User, RenderInput(input)),
        };
        var chatOptions = new ChatOptions { Tools = MemoryTools.All, ToolMode = ChatToolMode.Auto, MaxOutputTokens = options.MaxOutputTokens };

        var usage = TokenUsage.Zero;
        string? modelId = null;
        var calls = 0;
        var reminders = 0;
        var toolErrors = 0;

        SleepTimeOutcome Outcome(bool finished, string? error = null) =>
            new(error is null, error is null ? state.Changes() : [], usage, modelId, systemPrompt.ToString(), calls, toolErrors, finished, error);

        while (calls < options.MaxModelCalls)
        {
            ChatResponse response;
            var prompt = messages.ToList();
            calls++;
            try
            {
                response = await model.GetResponseAsync(prompt, chatOptions, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Only failures of the model call become a failed run here; anything else is a bug and stays loud.
                return Outcome(finished: false, $"The sleep-time model call failed: {ex.Message}");
            }

            usage += meter.Measure(prompt, response);
            modelId ??= response.ModelId;
            messages.AddRange(response.Messages);

            var toolCalls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
            if (toolCalls.Count == 0)
            {
                if (state.Edited || reminders >= options.MaxReminders)
                {
                    // Stopping after edits is an implicit finish; stopping without any means nothing was worth writing.
                    return Outcome(finished: false);
                }

                reminders++;
                messages.Add(new ChatMessage(ChatRole.User, PromptLibrary.Default.Get("sleep-time-agent-nudge").Text));
                continue;
            }

            var results = new List<AIContent>(toolCalls.Count);
            var finished = false;
            foreach (var call in toolCalls)
            {
                if (call.Name == MemoryTools.Finish)
                {
                    finished = true;
                    results.Add(new FunctionResultContent(call.CallId, "Finished."));
                    continue;
                }

                var (ok, message) = state.Execute(call);
                if (!ok)
                {
                    toolErrors++;
                }

                results.Add(new FunctionResultContent(call.CallId, message));
            }

            messages.Add(new ChatMessage(ChatRole.Tool, results));
            if (finished)
            {
                return Outcome(finished: true);
            }
        }

        return Outcome(finished: false);
    }

    public static string FormatDate(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyy-MM-dd (dddd)", CultureInfo.InvariantCulture);

    private static string RenderInput(SleepTimeInput input)
    {
        var blocks = new StringBuilder();
        foreach (var block in input.Blocks)
        {
            blocks.Append(CultureInfo.InvariantCulture, $"<block label=\"{block.Label}\" characters=\"{block.Value.Length}/{block.Limit}\"{(block.ReadOnly ? " read_only=\"true\"" : "")}>\n");
            if (!string.IsNullOrWhiteSpace(block.Description))
            {
                blocks.Append("Description: ").Append(block.Description).Append('\n');
            }

            blocks.Append(BlockText.WithLineNumbers(block.Value)).Append("\n</block>\n");
        }

        var transcript = new StringBuilder();
        foreach (var message in input.Messages)
        {
            transcript.Append(CultureInfo.InvariantCulture, $"[{message.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC] {message.Role.Value}: {message.Text}\n");
        }

        var documents = new StringBuilder();
        foreach (var document in input.Documents)
        {
            documents.Append(CultureInfo.InvariantCulture, $"<document title=\"{document.Title}\" added=\"{document.AddedAt.UtcDateTime:yyyy-MM-dd}\">\n{document.Text}\n</document>\n");
        }

        return PromptLibrary.Default.Get("sleep-time-agent-input").Render(
            ("blocks", blocks.Length == 0 ? "(no blocks)" : blocks.ToString().TrimEnd()),
            ("transcript", transcript.Length == 0 ? "(none)" : transcript.ToString().TrimEnd()),
            ("documents", documents.Length == 0 ? "(none)" : documents.ToString().TrimEnd()));
    }

    /// <summary>Working copies of the blocks and the edits made to each.</summary>
    private sealed class RunState(IReadOnlyList<Block> blocks)
    {
        private readonly Dictionary<string, Block> byLabel = blocks.ToDictionary(b => b.Label, StringComparer.Ordinal);
        private readonly Dictionary<string, string> values = blocks.ToDictionary(b => b.Label, b => b.Value, StringComparer.Ordinal);
        private readonly Dictionary<string, List<MemoryEdit>> edits = new(StringComparer.Ordinal);

        public bool Edited => edits.Count > 0;

        public (bool Ok, string Message) Execute(FunctionCallContent call)
        {
            var label = MemoryTools.ReadString(call, "label");
            if (call.Name is not (MemoryTools.Insert or MemoryTools.Replace or MemoryTools.Rethink))
            {
                return Error($"there is no tool '{call.Name}'. Use {MemoryTools.Insert}, {MemoryTools.Replace}, {MemoryTools.Rethink} or {MemoryTools.Finish}.");
            }

            if (string.IsNullOrEmpty(label) || !byLabel.TryGetValue(label, out var block))
            {
                return Error($"there is no block labelled '{label}'. The blocks are: {string.Join(", ", byLabel.Keys)}.");
            }

            if (block.ReadOnly)
            {
                return Error($"block '{label}' is read-only.");
            }

            var value = values[label];
            MemoryEdit edit;
            switch (call.Name)
            {
                case MemoryTools.Insert:
                    var text = MemoryTools.ReadString(call, "text");
                    if (string.IsNullOrEmpty(text))
                    {
                        return Error("text is required.");
                    }

                    if (!MemoryTools.TryReadInt(call, "line", out var line))
                    {
                        return Error("line must be a whole number (0 = at the top), or omitted to append.");
                    }

                    var lines = BlockText.Lines(value);
                    edit = new InsertEdit(label, text, line, line is > 0 && line <= lines.Count ? lines[line.Value - 1] : null);
                    break;
                case MemoryTools.Replace:
                    var oldText = MemoryTools.ReadString(call, "old_text");
                    var newText = MemoryTools.ReadString(call, "new_text");
                    if (oldText is null || newText is null)
                    {
                        return Error("old_text and new_text are required.");
                    }

                    edit = new ReplaceEdit(label, oldText, newText);
                    break;
                default:
                    var newValue = MemoryTools.ReadString(call, "new_value");
                    if (newValue is null)
                    {
                        return Error("new_value is required.");
                    }

                    edit = new RethinkEdit(label, newValue);
                    break;
            }

            var result = edit.ApplyTo(value);
            if (!result.Succeeded)
            {
                return Error(result.Error!);
            }

            var updated = result.Value!;
            if (updated.Length > block.Limit)
            {
                return Error($"block '{label}' would be {updated.Length} characters, over its limit of {block.Limit}. Shorten or condense it.");
            }

            if (ConfirmedLines.Added(value, updated) is { Count: > 0 })
            {
                return Error($"only a person can mark a line {ConfirmedLines.Marker}; write the line without the marker.");
            }

            values[label] = updated;
            if (!edits.TryGetValue(label, out var list))
            {
                edits[label] = list = [];
            }

            list.Add(edit);
            var note = ConfirmedLines.Removed(value, updated).Count > 0
                ? $"\nNote: this changes a line marked {ConfirmedLines.Marker}; the change will be held for a person to review."
                : string.Empty;
            return (true, $"Block '{label}' updated ({updated.Length}/{block.Limit} characters). It now reads:\n{BlockText.WithLineNumbers(updated)}{note}");
        }

        public IReadOnlyList<BlockChange> Changes() =>
            edits
                .Select(e => (Block: byLabel[e.Key], After: values[e.Key], Edits: e.Value))
                .Where(c => !string.Equals(c.Block.Value, c.After, StringComparison.Ordinal))
                .Select(c => new BlockChange(c.Block.Id, c.Block.Label, c.Block.Version, c.Block.Value, c.After, LineDiff.Unified(c.Block.Value, c.After, c.Block.Label), c.Edits))
                .ToList();

        private static (bool, string) Error(string message) => (false, "Error: " + message);
    }
}
