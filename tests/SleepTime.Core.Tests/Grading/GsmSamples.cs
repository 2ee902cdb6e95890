namespace SleepTime.Tests.Grading;

/// <summary>Answer fields in the GSM8K / GSM-Symbolic format: worked steps with calculator annotations, then "#### answer".</summary>
internal static class GsmSamples
{
    public const string PencilsSolution =
        "Zoe buys 4 packs of 12 pencils, so she has 4*12 = <<4*12=48>>48 pencils.\n" +
        "She gives half of them to her brother, so she keeps 48/2 = <<48/2=24>>24 pencils.\n" +
        "Then she buys 48 more, so she has 24+48 = <<24+48=72>>72 pencils.\n" +
        "#### 72";

    public const string RentSolution =
        "The apartment costs $1,200 a month, so a year costs 1,200*12 = $<<1200*12=14400>>14,400.\n" +
        "Utilities add $90 a month, which is 90*12 = $<<90*12=1080>>1,080 a year.\n" +
        "#### 1,080";

    public const string AppleDebtSolution =
        "Liam has 5 apples and owes 8 to his sister.\n" +
        "After paying her he has 5-8 = <<5-8=-3>>-3 apples.\n" +
        "#### -3";

    public const string PriceSolution =
        "Each ticket costs $15 and she buys 3, so she pays 15*3 = $<<15*3=45>>45.\n" +
        "#### $45";
}
