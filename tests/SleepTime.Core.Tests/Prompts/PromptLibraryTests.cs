namespace SleepTime.Tests.Prompts;

public class PromptLibraryTests
{
    [Theory]
    [InlineData("sleep-general")]
    [InlineData("sleep-math")]
    [InlineData("sleep-partial")]
    [InlineData("sleep-tools")]
    [InlineData("sleep-plain-text")]
    [InlineData("answer")]
    [InlineData("answer-level-0")]
    [InlineData("answer-level-4")]
    [InlineData("answer-context-only")]
    public void Every_prompt_the_engine_uses_ships_as_a_versioned_resource(string id)
    {
        var prompt = PromptLibrary.Default.Get(id);

        Assert.Equal(id, prompt.Id);
        Assert.True(prompt.Version >= 1);
        Assert.False(string.IsNullOrWhiteSpace(prompt.Text));
    }

    [Fact]
    public void The_newest_version_wins_and_old_versions_stay_addressable()
    {
        var library = new PromptLibrary([new PromptTemplate("p", 1, "old {{x}}"), new PromptTemplate("p", 2, "new {{x}}")]);

        Assert.Equal("new 7", library.Get("p").Render(("x", "7")));
        Assert.Equal("old 7", library.Get("p", 1).Render(("x", "7")));
        Assert.Throws<KeyNotFoundException>(() => library.Get("p", 3));
        Assert.Throws<KeyNotFoundException>(() => library.Get("missing"));
    }
}
