namespace SleepTime;

/// <summary>Re-applies a run's edits, in order, onto a newer value of the block.</summary>
public static class Rebase
{
    public static EditResult Onto(string newerValue, IEnumerable<MemoryEdit> edits)
    {
        var value = newerValue;
        foreach (var edit in edits)
        {
            var result = edit switch
            {
                InsertEdit insert => insert.RebaseOnto(value),
                ReplaceEdit replace => replace.ApplyTo(value),
                RethinkEdit => EditResult.Fail("the run rewrote the whole block (memory_rethink), which cannot be re-applied to a newer value"),
                _ => EditResult.Fail($"unknown edit {edit.GetType().Name}"),
            };
            if (!result.Succeeded)
            {
                return result;
            }

            value = result.Value!;
        }

        return EditResult.Ok(value);
    }
}
