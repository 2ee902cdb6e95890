using System.Security.Cryptography;
using System.Text;
using SleepTime.Bench.Provenance;

namespace SleepTime.Bench.Tests.Provenance;

public sealed class ContentHashTests
{
    [Fact]
    public void Hashes_in_slices_equal_the_SHA256_of_the_whole_UTF8_text_even_across_a_surrogate_pair()
    {
        // 16,383 ASCII characters put the emoji's surrogate pair across the first slice boundary.
        var text = new string('a', 16 * 1024 - 1) + "😀 naïve " + new string('b', 40_000);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), ContentHash.OfText(text));
        Assert.Equal(ContentHash.OfText("ab\u0000c"), ContentHash.OfParts("ab", "c"));
        Assert.NotEqual(ContentHash.OfParts("ab", "c"), ContentHash.OfParts("a", "bc"));
    }
}
