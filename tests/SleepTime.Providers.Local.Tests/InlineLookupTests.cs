using SleepTime.Providers.Local.InlineTools;

namespace SleepTime.Providers.Local.Tests;

/// <summary>What a bracketed phrase resolves to, and what is not a lookup.</summary>
public sealed class InlineLookupTests
{
    private const string Context = "Hana runs a small bakery and bakes 9 trays of muffins every morning. Each tray holds 20 muffins, and every muffin sells for $3. The bakery is open 5 days a week.";

    [Theory]
    [InlineData("and bakes", "9")]
    [InlineData("tray holds", "20")]
    [InlineData("sells for", "3")] // the $ is not part of the number
    [InlineData("is open", "5")]
    [InlineData("bakery", "5")] // its last occurrence, "The bakery is open 5", counts
    public void A_phrase_resolves_to_the_first_number_after_its_last_occurrence(string phrase, string number) =>
        Assert.Equal(number, InlineLookup.Resolve(phrase, Context));

    [Fact]
    public void A_worked_step_resolves_to_its_result_and_references_are_not_occurrences()
    {
        const string text = Context + "\nMuffins baked each day: [and bakes] 9 * [tray holds] 20 = 180\nMuffins baked each week: [Muffins baked each day] 180 * [is open] 5 = 900\n";

        Assert.Equal("180", InlineLookup.Resolve("Muffins baked each day", text));
        Assert.Equal("900", InlineLookup.Resolve("Muffins baked each week", text));
        Assert.Equal("20", InlineLookup.Resolve("tray holds", text)); // "[tray holds]" in the steps is a reference, not text
        Assert.Equal(" 900", InlineLookup.ResultAfter("The answer is [Muffins baked each week]", text));
    }

    [Theory]
    [InlineData("[sugar]")] // not in the text
    [InlineData("[week]")] // nothing numeric after it on its line
    [InlineData("tray holds]")] // never opened
    [InlineData("[]")]
    [InlineData("[tray holds")] // not closed yet
    public void Anything_else_is_not_found(string line) =>
        Assert.Null(InlineLookup.ResultAfter(line, Context));

    [Fact]
    public void A_phrase_longer_than_the_limit_is_not_a_call() =>
        Assert.Null(InlineLookup.ResultAfter("[" + new string('a', InlineLookup.MaxPhraseLength + 1) + "]", Context + " " + new string('a', InlineLookup.MaxPhraseLength + 1) + " 7"));

    [Fact]
    public void The_calculator_evaluates_an_expression_without_its_references() =>
        Assert.Equal(" 180", InlineCalculator.ResultAfter("Muffins baked each day: [and bakes] 9 * [tray holds] 20 ="));
}
