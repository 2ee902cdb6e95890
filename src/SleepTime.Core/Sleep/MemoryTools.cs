using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>
/// Letta's four line-edit tools, bound to one run's working copies of the blocks. Each edit is checked and applied to
/// the copy (a bad one is answered with a tool error the model can correct); nothing touches the stored blocks.
/// </summary>
internal sealed class MemoryTools : ISleepLoopState
{
    public const string Insert = "memory_insert";
    public const string Replace = "memory_replace";
    public const string Rethink = "memory_rethink";
    public const string Finish = "memory_finish_edits";

    private static readonly (string, string, string) Label = ("label", "string", "The block's label.");

    private readonly Dictionary<string, Block> byLabel;
    private readonly Dictionary<string, string> values;
    private readonly Dictionary<string, List<MemoryEdit>> edits = new(StringComparer.Ordinal);

    public MemoryTools(IReadOnlyList<Block> blocks)
    {
        byLabel = blocks.ToDictionary(b => b.Label, StringComparer.Ordinal);
        values = blocks.ToDictionary(b => b.Label, b => b.Value, StringComparer.Ordinal);
        All =
        [
            new SleepTool(Insert, "Insert text into a memory block after line number `line` (0 = at the top; omit to append at the end).",
                SleepTool.Schema(
                    ["label", "text"], Label, ("text", "string", "The text to insert; may span several lines."), ("line", "integer", "Insert after this line number; 0 = at the top; omit to append.")),
                arguments => Edit(arguments, InsertEdit)),
            new SleepTool(Replace, "Replace text that occurs exactly once in a memory block. Quote old_text exactly, without line numbers. Empty new_text deletes.",
                SleepTool.Schema(
                    ["label", "old_text", "new_text"], Label, ("old_text", "string", "The exact text to replace; it must occur exactly once."), ("new_text", "string", "The replacement; empty to delete.")),
                arguments => Edit(arguments, ReplaceEdit)),
            new SleepTool(Rethink, "Rewrite a whole memory block with new_value (the complete new text).",
                SleepTool.Schema(["label", "new_value"], Label, ("new_value", "string", "The complete new text of the block.")),
                arguments => Edit(arguments, RethinkEdit)),
            new SleepTool(Finish, "Call when the memory blocks are up to date (also when nothing needed changing).", SleepTool.Schema([]), FinishEdits),
        ];
    }

    /// <summary>The tools as every run declares them, for checks over everything the project offers a model (e.g. local grammars).</summary>
    internal static IList<AITool> Declared { get; } = new MemoryTools([]).All;

    public IList<AITool> All { get; }

    public bool Edited => edits.Count > 0;

    public bool Finished { get; private set; }

    public bool Done => Finished;

    /// <summary>Editing then replying in prose is an implicit finish; a model that edited nothing yet is nudged.</summary>
    public string? FollowUp(ChatResponse reply) => Edited ? null : PromptLibrary.Default.Get("sleep-time-agent-nudge").Text;

    public IReadOnlyList<BlockChange> Changes() =>
        edits
            .Select(e => (Block: byLabel[e.Key], After: values[e.Key], Edits: e.Value))
            .Where(c => !string.Equals(c.Block.Value, c.After, StringComparison.Ordinal))
            .Select(c => new BlockChange(c.Block.Id, c.Block.Label, c.Block.Version, c.Block.Value, c.After, LineDiff.Unified(c.Block.Value, c.After, c.Block.Label), c.Edits))
            .ToList();

    private static (MemoryEdit? Edit, string? Error) InsertEdit(AIFunctionArguments arguments, string label, string value)
    {
        var text = ToolArguments.ReadString(arguments, "text");
        if (string.IsNullOrEmpty(text))
        {
            return (null, "text is required.");
        }

        if (!ToolArguments.TryReadInt(arguments, "line", out var line))
        {
            return (null, "line must be a whole number (0 = at the top), or omitted to append.");
        }

        var lines = BlockText.Lines(value);
        return (new InsertEdit(label, text, line, line is > 0 && line <= lines.Count ? lines[line.Value - 1] : null), null);
    }

    private static (MemoryEdit? Edit, string? Error) ReplaceEdit(AIFunctionArguments arguments, string label, string value) =>
        ToolArguments.ReadString(arguments, "old_text") is { } oldText && ToolArguments.ReadString(arguments, "new_text") is { } newText
            ? (new ReplaceEdit(label, oldText, newText), null)
            : (null, "old_text and new_text are required.");

    private static (MemoryEdit? Edit, string? Error) RethinkEdit(AIFunctionArguments arguments, string label, string value) =>
        ToolArguments.ReadString(arguments, "new_value") is { } newValue
            ? (new RethinkEdit(label, newValue), null)
            : (null, "new_value is required.");

    private string Edit(AIFunctionArguments arguments, Func<AIFunctionArguments, string, string, (MemoryEdit? Edit, string? Error)> read)
    {
        var label = ToolArguments.ReadString(arguments, "label");
        if (string.IsNullOrEmpty(label) || !byLabel.TryGetValue(label, out var block))
        {
            return SleepTool.Error($"there is no block labelled '{label}'. The blocks are: {string.Join(", ", byLabel.Keys)}.");
        }

        if (block.ReadOnly)
        {
            return SleepTool.Error($"block '{label}' is read-only.");
        }

        var value = values[label];
        var (edit, error) = read(arguments, label, value);
        if (edit is null)
        {
            return SleepTool.Error(error!);
        }

        var result = edit.ApplyTo(value);
        if (!result.Succeeded)
        {
            return SleepTool.Error(result.Error!);
        }

        var updated = result.Value!;
        if (updated.Length > block.Limit)
        {
            return SleepTool.Error($"block '{label}' would be {updated.Length} characters, over its limit of {block.Limit}. Shorten or condense it.");
        }

        if (ConfirmedLines.Added(value, updated) is { Count: > 0 })
        {
            return SleepTool.Error($"only a person can mark a line {ConfirmedLines.Marker}; write the line without the marker.");
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
        return $"Block '{label}' updated ({updated.Length}/{block.Limit} characters). It now reads:\n{BlockText.WithLineNumbers(updated)}{note}";
    }

    private string FinishEdits(AIFunctionArguments arguments)
    {
        Finished = true;
        return "Finished.";
    }
}
