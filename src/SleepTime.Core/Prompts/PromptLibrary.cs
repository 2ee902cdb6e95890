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

    public IEnumerable<string> Ids => templates.Keys;

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
