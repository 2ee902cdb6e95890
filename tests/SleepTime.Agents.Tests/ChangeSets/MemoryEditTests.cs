namespace SleepTime.Agents.Tests.ChangeSets;

public sealed class MemoryEditTests
{
    [Theory]
    [InlineData(null, "a\nb\nnew")]
    [InlineData(0, "new\na\nb")]
    [InlineData(1, "a\nnew\nb")]
    public void Insert_places_text_after_the_given_line(int? line, string expected)
    {
        Assert.Equal(expected, new InsertEdit("x", "new", line).ApplyTo("a\nb").Value);
    }

    [Fact]
    public void Insert_out_of_range_is_an_error() => Assert.False(new InsertEdit("x", "new", 5).ApplyTo("a\nb").Succeeded);

    [Fact]
    public void Replace_needs_exactly_one_occurrence()
    {
        Assert.Equal("a\nc", new ReplaceEdit("x", "b", "c").ApplyTo("a\nb").Value);
        Assert.Contains("not found", new ReplaceEdit("x", "z", "c").ApplyTo("a\nb").Error, StringComparison.Ordinal);
        Assert.Contains("occurs 2 times", new ReplaceEdit("x", "a", "c").ApplyTo("a\na").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rebased_insert_follows_its_anchor_line_to_where_it_moved()
    {
        var edit = new InsertEdit("x", "new", 1, AnchorLine: "a");

        Assert.Equal("top\na\nnew\nb", Rebase.Onto("top\na\nb", [edit]).Value);
        Assert.False(Rebase.Onto("b", [edit]).Succeeded);
    }

    [Fact]
    public void A_rethink_cannot_be_rebased() =>
        Assert.False(Rebase.Onto("anything", [new RethinkEdit("x", "whole new")]).Succeeded);
}
