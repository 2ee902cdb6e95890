using SleepTime.Bench.Provenance;

namespace SleepTime.TinyModel.Tests;

/// <summary>The compact prompt variant sleeptime-tiny is trained on, beside the unchanged default prompts.</summary>
public sealed class CompactPromptsTests
{
    [Theory]
    [InlineData("answer")]
    [InlineData("answer-learned-note")]
    [InlineData("answer-level-0")]
    [InlineData("answer-level-4")]
    [InlineData("sleep-math")]
    [InlineData("sleep-plain-text")]
    [InlineData("sleep-input")]
    public void A_compact_prompt_stands_in_for_its_id_and_names_itself_in_provenance(string id)
    {
        var compact = PromptLibrary.Compact.Get(id);
        var standard = PromptLibrary.Default.Get(id);

        Assert.Equal($"{id}-{PromptLibrary.CompactVariant}", compact.Id);
        Assert.Equal(id, standard.Id);
        Assert.True(compact.Text.Length < standard.Text.Length, $"{compact} ({compact.Text.Length} characters) is shorter than {standard} ({standard.Text.Length})");
    }

    [Fact]
    public void The_default_prompts_are_unchanged_and_the_variant_keeps_the_prompts_it_does_not_cover()
    {
        Assert.DoesNotContain(PromptLibrary.Default.Ids, id => id.Contains(PromptLibrary.CompactVariant, StringComparison.Ordinal));
        Assert.Equal(PromptLibrary.Default.Ids.Order(StringComparer.Ordinal), PromptLibrary.Compact.Ids.Order(StringComparer.Ordinal));
        Assert.Equal(PromptLibrary.Default.Get("sleep-tools"), PromptLibrary.Compact.Get("sleep-tools"));
    }

    [Fact]
    public void A_bench_prompt_set_on_the_variant_hashes_both_phases_and_differs_from_the_default()
    {
        var compact = new PromptSet(PromptLibrary.Compact, "built-in:compact");

        Assert.Contains("answer-compact.v1", compact.Hashes.Keys);
        Assert.Contains("sleep-math-compact.v1", compact.Hashes.Keys);
        Assert.NotEqual(PromptSet.Default.SleepHash, compact.SleepHash);
        Assert.NotEqual(PromptSet.Default.TestHash, compact.TestHash);
        Assert.Equal("answer-compact.v1+answer-level-0-compact.v1", compact.TestVersion(0, contextOnly: false));
    }
}
