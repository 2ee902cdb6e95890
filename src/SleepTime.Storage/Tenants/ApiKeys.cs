using System.Security.Cryptography;
using System.Text;

namespace SleepTime.Storage;

/// <summary>Generates high-entropy API keys and hashes them for storage.</summary>
public static class ApiKeys
{
    public const string Prefix = "st_";

    /// <summary>256 random bits, URL-safe.</summary>
    public static string Generate() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>SHA-256 is enough here: the keys are random, so there is nothing to brute-force from a hash.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
