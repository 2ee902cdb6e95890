namespace SleepTime;

/// <summary>
/// One edit a sleep-time agent made to a block. Edits are kept (not only the resulting value) so that a change set
/// can be re-applied onto a block that someone else changed in the meantime (see <see cref="ChangeSetCommitter"/>).
/// </summary>
public abstract record MemoryEdit(string Label)
{
    /// <summary>Applies the edit to <paramref name="value"/>; on failure the result says why, in words for the model.</summary>
    public abstract EditResult ApplyTo(string value);
}

/// <summary>
/// Inserts <paramref name="Text"/> after line <paramref name="AfterLine"/> (0 = at the top, <c>null</c> = at the end).
/// <paramref name="AnchorLine"/> is the text of that line when the edit was made, so a rebase can find the spot
/// again after other lines moved.
/// </summary>
public sealed record InsertEdit(string Label, string Text, int? AfterLine, string? AnchorLine = null) : MemoryEdit(Label)
{
    public override EditResult ApplyTo(string value)
    {
        var lines = BlockText.Lines(value).ToList();
        var inserted = BlockText.Lines(Text);
        if (AfterLine is null)
        {
            lines.AddRange(inserted);
        }
        else if (AfterLine < 0 || AfterLine > lines.Count)
        {
            return EditResult.Fail($"line {AfterLine} is out of range; the block has {lines.Count} lines (use 0 for the top, or omit line to append).");
        }
        else
        {
            lines.InsertRange(AfterLine.Value, inserted);
        }

        return EditResult.Ok(BlockText.Join(lines));
    }

    /// <summary>The same insert, placed after the anchor line wherever it is now in <paramref name="value"/>.</summary>
    public EditResult RebaseOnto(string value)
    {
        if (AfterLine is null or 0)
        {
            return ApplyTo(value);
        }

        var lines = BlockText.Lines(value);
        var matches = Enumerable.Range(0, lines.Count).Where(i => string.Equals(lines[i], AnchorLine, StringComparison.Ordinal)).ToList();
        return matches.Count == 1
            ? (this with { AfterLine = matches[0] + 1 }).ApplyTo(value)
            : EditResult.Fail(matches.Count == 0
                ? $"the line it was inserted after (\"{AnchorLine}\") is gone"
                : $"the line it was inserted after (\"{AnchorLine}\") now occurs {matches.Count} times");
    }
}

/// <summary>Replaces the single occurrence of <paramref name="OldText"/> with <paramref name="NewText"/> (empty deletes it).</summary>
public sealed record ReplaceEdit(string Label, string OldText, string NewText) : MemoryEdit(Label)
{
    public override EditResult ApplyTo(string value)
    {
        if (OldText.Length == 0)
        {
            return EditResult.Fail("old_text is empty; quote the exact text to replace.");
        }

        var count = BlockText.CountOccurrences(value, OldText);
        if (count == 0)
        {
            return EditResult.Fail($"old_text \"{OldText}\" was not found in block '{Label}'; quote it exactly, without line numbers.");
        }

        if (count > 1)
        {
            return EditResult.Fail($"old_text \"{OldText}\" occurs {count} times in block '{Label}'; quote more of it so it is unique.");
        }

        var at = value.IndexOf(OldText, StringComparison.Ordinal);
        return EditResult.Ok(string.Concat(value.AsSpan(0, at), NewText, value.AsSpan(at + OldText.Length)));
    }
}

/// <summary>Rewrites the whole block. It cannot be rebased: it was written against a value that no longer exists.</summary>
public sealed record RethinkEdit(string Label, string NewValue) : MemoryEdit(Label)
{
    public override EditResult ApplyTo(string value) => EditResult.Ok(NewValue);
}
