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
    /// <see cref="Default"/> with each <c>{id}.compact.v{N}.md</c> prompt standing in for <c>{id}</c>.
    /// </summary>
    public static PromptLibrary Compact { get; } = LoadEmbedded(typeof(PromptLibrary).Assembly, CompactVariant);

    /// <summary>The variant name of <see cref="Compact"/>'s prompt files.</summary>
    public const string CompactVariant = "compact";

    private PromptLibrary(FrozenDictionary<string, PromptTemplate[]> templates)
    {
        this.templates = templates;
    }

    public IEnumerable<string> Ids => templates.Keys;

    public PromptTemplate Get(string id) =>
        templates.TryGetValue(id, out var versions)
            ? versions[^1]
            : throw new KeyNotFoundException($"No prompt '{id}' is defined.");

    public PromptTemplate Get(string id, int version) =>
        templates.TryGetValue(id, out var versions) && versions.FirstOrDefault(v => v.Version == version) is { } found
            ? found
            : throw new KeyNotFoundException($"No prompt '{id}' version {version} is defined.");

    /// <summary>
    /// The embedded prompts with a variant's files (<c>{id}.{variant}.v{N}.md</c>) standing in for their ids. A
    /// stand-in's own id is <c>{id}-{variant}</c>, so provenance names the prompt actually used; ids the variant
    /// does not cover keep the default prompts.
    /// </summary>
    public static PromptLibrary LoadEmbedded(Assembly assembly, string variant)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentException.ThrowIfNullOrWhiteSpace(variant);
        const string prefix = "SleepTime.Prompts.";
        var merged = LoadEmbedded(assembly).templates.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var standIns = new Dictionary<string, List<PromptTemplate>>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var match = VariantResourceName().Match(name[prefix.Length..]);
            if (!match.Success || match.Groups["variant"].Value != variant)
            {
                continue;
            }

            var id = match.Groups["id"].Value;
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            var template = new PromptTemplate($"{id}-{variant}", int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture), reader.ReadToEnd().Trim());
            if (!standIns.TryGetValue(id, out var versions))
            {
                standIns[id] = versions = [];
            }

            versions.Add(template);
        }

        if (standIns.Count == 0)
        {
            throw new KeyNotFoundException($"No prompt of variant '{variant}' is embedded.");
        }

        foreach (var (id, versions) in standIns)
        {
            merged[id] = [.. versions.OrderBy(t => t.Version)];
        }

        return new PromptLibrary(merged.ToFrozenDictionary(StringComparer.Ordinal));
    }

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

    [GeneratedRegex(@"^(?<id>[a-z0-9-]+)\.(?<variant>[a-z0-9]+)\.v(?<version>\d+)\.md$")]
    private static partial Regex VariantResourceName();
}
