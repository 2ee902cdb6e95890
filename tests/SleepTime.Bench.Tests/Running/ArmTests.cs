using Microsoft.Extensions.AI;
using SleepTime.Bench.Running;

namespace SleepTime.Bench.Tests.Running;

public sealed class ArmTests
{
    [Theory]
    [InlineData("baseline:v=2", "baseline:v=2", "baseline")]
    [InlineData("baseline:effort=low", "baseline:effort=low", "baseline (effort)")]
    [InlineData("sleep:k=5,v=1,sleep-effort=high", "sleep:k=5,v=1,sleep-effort=high", "sleep-time k=5,sleep-effort=high")]
    [InlineData("sleep", "sleep:k=1,v=0", "sleep-time k=1")]
    [InlineData("context-only", "context-only", "context-only")]
    [InlineData("pass:k=5", "pass:k=5", "pass@k")]
    public void Parses_to_a_canonical_name_and_family(string text, string name, string family)
    {
        var arm = Arm.Parse(text);

        Assert.Equal(name, arm.Name);
        Assert.Equal(family, arm.Family);
        Assert.Equal(arm, Arm.Parse(arm.Name));
    }

    [Fact]
    public void Sleep_arms_with_the_same_k_and_effort_share_a_sleep()
    {
        var a = Arm.Parse("sleep:k=2,v=0");
        var b = Arm.Parse("sleep:k=2,v=4");
        var c = Arm.Parse("sleep:k=2,v=0,sleep-effort=high");

        Assert.Equal(a.SleepKey("x"), b.SleepKey("x"));
        Assert.NotEqual(a.SleepKey("x"), c.SleepKey("x"));
        Assert.Equal(ReasoningEffort.High, c.SleepEffort);
    }

    [Theory]
    [InlineData("dream:k=1", "kind \"dream\" is unknown")]
    [InlineData("baseline:v=9", "v must be an integer from 0 to 4")]
    [InlineData("baseline:k=2", "does not apply to baseline")]
    [InlineData("sleep:effort=extreme", "low, medium or high")]
    [InlineData("pass:k=3,v=2", "lowest setting")]
    public void Unknown_arms_are_rejected_with_a_clear_message(string text, string expected)
    {
        var error = Assert.Throws<SleepTimeValidationException>(() => Arm.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("Arms look like", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Presets_expand_and_duplicates_are_dropped()
    {
        var arms = Arm.ParseList(["paper-verbosity", "baseline:v=0"]);

        Assert.Equal(10, arms.Count);
        Assert.Equal(5, arms.Count(a => a.Kind == ArmKind.SleepTime));
        Assert.Equal(6, Arm.ParseList(["smoke"]).Count);
    }
}
