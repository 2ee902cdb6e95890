using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace SleepTime;

/// <summary>
/// The prompts shipped as embedded resources named <c>{id}.v{version}.md</c>. <see cref="Get(string)"/> returns the
/// newest version, so a new prompt version is a new file and old answers still name the version they used.
/// </summary>
public sealed partial class PromptLibrary
{
    private readonly FrozenDictionary<string, PromptTemplate[]> templates;

    public PromptLibrary(IEnumerable<PromptTemplate> templates)
    {
        this.templates = templates
            .GroupBy(t => t.Id, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.OrderBy(t => t.Version).ToArray(), StringComparer.Ordinal);
    }

    public static PromptLibrary Default { get; } = LoadEmbedded(typeof(PromptLibrary).Assembly);

    /// <summary>
    /// The compact prompts for tiny local models (a character-level model's window holds a few hundred characters):
    /// <see cref="Default"/> with every <c>compact-{id}</c> prompt answering for <c>{id}</c>.
    /// </summary>
    public static PromptLibrary Compact { get; } = Default.Variant(CompactVariant);

    /// <summary>The name of <see cref="Compact"/>'s prompt files' prefix.</summary>
    public const string CompactVariant = "compact";

    private PromptLibrary(FrozenDictionary<string, PromptTemplate[]> templates)
    {
        this.templates = templates;
    }

    public IEnumerable<string> Ids => templates.Keys;

    /// <summary>
    /// This library with each <c>{variant}-{id}</c> prompt standing in for <c>{id}</c>; the stand-in keeps its own
    /// id, so provenance names the prompt that was actually used. Ids without a stand-in stay as they are.
    /// </summary>
    public PromptLibrary Variant(string variant)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(variant);
        var prefix = variant + "-";
        var merged = templates.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        foreach (var (id, versions) in templates.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)))
        {
            merged[id[prefix.Length..]] = versions;
        }

        return new PromptLibrary(merged.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public PromptTemplate Get(string id) =>
        templates.TryGetValue(id, out var versions)
            ? versions[^1]
            : throw new KeyNotFoundException($"No prompt '{id}' is defined.");

    public PromptTemplate Get(string id, int version) =>
        templates.TryGetValue(id, out var versions) && versions.FirstOrDefault(v => v.Version == version) is { } found
            ? found
            : throw new KeyNotFoundException($"No prompt '{id}' version {version} is defined.");

    public static PromptLibrary LoadEmbedded(Assembly assembly)
    {
        const string prefix = "SleepTime.Prompts.";
        var loaded = new List<PromptTemplate>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var match = ResourceName().Match(name[prefix.Length..]);
            if (!match.Success)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            loaded.Add(new PromptTemplate(
                match.Groups["id"].Value,
                int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture),
                reader.ReadToEnd().Trim()));
        }

        return new PromptLibrary(loaded);
    }

    [GeneratedRegex(@"^(?<id>[a-z0-9-]+)\.v(?<version>\d+)\.md$")]
    private static partial Regex ResourceName();
}
