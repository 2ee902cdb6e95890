namespace SleepTime.Agents.Tests.ChangeSets;

public sealed class LineDiffTests
{
    [Fact]
    public void Identical_values_have_an_empty_diff() => Assert.Equal("", LineDiff.Unified("a\nb", "a\nb", "human"));

    [Fact]
    public void A_changed_line_shows_as_a_removal_then_an_addition_with_context()
    {
        var diff = LineDiff.Unified("a\nb\nc", "a\nB\nc", "human");

        Assert.Equal("--- a/human\n+++ b/human\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n", diff);
    }

    [Fact]
    public void Distant_changes_get_separate_hunks()
    {
        var before = string.Join('\n', Enumerable.Range(1, 20).Select(i => $"line {i}"));
        var after = before.Replace("line 2\n", "line two\n", StringComparison.Ordinal).Replace("line 19", "line nineteen", StringComparison.Ordinal);

        var diff = LineDiff.Unified(before, after, "notes");

        Assert.Equal(2, diff.Split('\n').Count(l => l.StartsWith("@@", StringComparison.Ordinal)));
        Assert.Contains("@@ -1,5 +1,5 @@", diff, StringComparison.Ordinal);
        Assert.Contains("@@ -16,5 +16,5 @@", diff, StringComparison.Ordinal);
    }

    [Fact]
    public void Adding_to_an_empty_block()
    {
        Assert.Equal("--- a/x\n+++ b/x\n@@ -0,0 +1,2 @@\n+one\n+two\n", LineDiff.Unified("", "one\ntwo", "x"));
    }
}
