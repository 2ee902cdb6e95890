using System.Security.Cryptography;
using System.Text;

namespace SleepTime.Bench.Provenance;

/// <summary>SHA-256 content hashes, written as lower-case hex, that identify a data set, a prompt or one question.</summary>
public static class ContentHash
{
    public static string OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public static string OfText(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>A hash of several texts; a separator no text contains keeps ("ab", "c") apart from ("a", "bc").</summary>
    public static string OfParts(params string[] parts) => OfText(string.Join('\u0000', parts));

    /// <summary>The first 16 hex digits: enough to tell records apart, short enough to store on every line.</summary>
    public static string Short(string hash) => hash.Length > 16 ? hash[..16] : hash;
}
