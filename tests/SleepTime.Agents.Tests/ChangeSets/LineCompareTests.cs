namespace SleepTime.Agents.Tests.ChangeSets;

public class LineCompareTests
{
    [Fact]
    public void Lines_are_marked_kept_removed_or_added_in_order()
    {
        var lines = LineDiff.Compare("name: Ann\ncity: Rome\nage: 30", "name: Ann\ncity: Oslo\nage: 30\npet: cat");

        Assert.Equal(
            [(' ', "name: Ann"), ('-', "city: Rome"), ('+', "city: Oslo"), (' ', "age: 30"), ('+', "pet: cat")],
            lines);
    }

    [Fact]
    public void Texts_too_large_to_align_come_back_as_a_whole_replacement()
    {
        // Only one line differs, but aligning 2,500 by 2,500 lines is past the cap.
        var before = string.Join('\n', Enumerable.Range(0, 2_500).Select(i => $"line {i}"));
        var after = before.Replace("line 1000\n", "line one thousand\n", StringComparison.Ordinal);

        var lines = LineDiff.Compare(before, after);

        Assert.Equal(5_000, lines.Count);
        Assert.All(lines.Take(2_500), l => Assert.Equal('-', l.Kind));
        Assert.All(lines.Skip(2_500), l => Assert.Equal('+', l.Kind));
    }
}
