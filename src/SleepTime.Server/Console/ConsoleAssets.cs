using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace SleepTime.Server;

/// <summary>
/// The console's files, embedded in the server assembly (logical names <c>console/…</c>), read once: the console works
/// from any output folder and offline. Each file keeps its bytes, content type and a strong ETag of its content.
/// </summary>
public sealed class ConsoleAssets
{
    private const string Prefix = "console/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, ConsoleAsset> files;

    public ConsoleAssets()
        : this(typeof(ConsoleAssets).Assembly)
    {
    }

    internal ConsoleAssets(Assembly assembly)
    {
        var found = new Dictionary<string, ConsoleAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            var path = name[Prefix.Length..].Replace('\\', '/');
            var type = ContentTypes.GetValueOrDefault(Path.GetExtension(path), "application/octet-stream");
            found[path] = new ConsoleAsset(path, bytes, type, "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..20] + "\"");
        }

        files = found.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The shell every console page is (the script routes by the URL).</summary>
    public ConsoleAsset Shell => files["index.html"];

    public IEnumerable<string> Paths => files.Keys;

    public ConsoleAsset? Find(string path) => files.GetValueOrDefault(path);
}

public sealed record ConsoleAsset(string Path, byte[] Bytes, string ContentType, string ETag);
