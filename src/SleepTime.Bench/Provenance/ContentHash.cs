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

    public static string OfText(string text) => OfParts(text);

    /// <summary>
    /// A hash of several texts joined by a separator no text contains, which keeps ("ab", "c") apart from ("a", "bc").
    /// Encoded in slices through one rented buffer, so hashing a 100k-token context allocates nothing large.
    /// </summary>
    public static string OfParts(params string[] parts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        const int Slice = 16 * 1024;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(Slice));
        var encoder = Encoding.UTF8.GetEncoder();
        try
        {
            for (var p = 0; p < parts.Length; p++)
            {
                var text = p == 0 ? parts[p].AsSpan() : string.Concat("\u0000", parts[p]).AsSpan();
                for (var at = 0; at < text.Length; at += Slice)
                {
                    var slice = text.Slice(at, Math.Min(Slice, text.Length - at));
                    var bytes = encoder.GetBytes(slice, buffer, flush: at + slice.Length == text.Length && p == parts.Length - 1);
                    hash.AppendData(buffer, 0, bytes);
                }
            }

            var tail = encoder.GetBytes(ReadOnlySpan<char>.Empty, buffer, flush: true);
            hash.AppendData(buffer, 0, tail);
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The first 16 hex digits: enough to tell records apart, short enough to store on every line.</summary>
    public static string Short(string hash) => hash.Length > 16 ? hash[..16] : hash;
}
