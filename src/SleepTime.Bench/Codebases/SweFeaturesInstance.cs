using System.Text.Json;
using System.Text.Json.Serialization;

namespace SleepTime.Bench.Codebases;

/// <summary>A changed file of a pull request as SWE-Features gives it: the path, GitHub's status and the patch.</summary>
public sealed record SweFeaturesFile(
    [property: JsonPropertyName("filename")] string Filename,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("patch")] string? Patch = null);

/// <summary>
/// One SWE-Features instance: a feature pull request on a repository at its base commit. The task is to predict the
/// files it modifies; files it adds are not scored (nothing at the base commit could name them).
/// </summary>
public sealed record SweFeaturesInstance(
    [property: JsonPropertyName("repo")] string Repo,
    [property: JsonPropertyName("pr_number")] int PrNumber,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("body")] string? Body,
    [property: JsonPropertyName("changed_files")] IReadOnlyList<SweFeaturesFile> ChangedFiles,
    [property: JsonPropertyName("base_commit")] string? BaseCommit)
{
    /// <summary>The ground truth: the files the pull request modified.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> ModifiedFiles => ChangedFiles.Where(f => f.Status == CodebaseChange.Modified).Select(f => f.Filename).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The task the test-time agent is given.</summary>
    [JsonIgnore]
    public string Task => $"Feature request: {Title}\n\n{Body?.Trim()}\n\nWhich existing files of the repository must be modified to implement it?";

    /// <summary>The pull request as a related document for a sleep: title, body, changed files with status and patch.</summary>
    public CodebaseDocument ToDocument() =>
        new(Title, Body ?? string.Empty, ChangedFiles.Select(f => new CodebaseChange(f.Status, f.Filename, f.Patch ?? string.Empty)).ToList());
}

/// <summary>Reads SWE-Features files: a JSON array or JSON lines, every instance checked, errors naming the line.</summary>
public static class SweFeaturesReader
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = false };

    public static IReadOnlyList<SweFeaturesInstance> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The SWE-Features file '{path}' does not exist.", path);
        }

        return Parse(File.ReadAllText(path), path);
    }

    public static IReadOnlyList<SweFeaturesInstance> Parse(string text, string source = "input")
    {
        var trimmed = text.TrimStart();
        var instances = new List<SweFeaturesInstance>();
        if (trimmed.StartsWith('['))
        {
            var all = Deserialize<List<SweFeaturesInstance?>>(trimmed, source, 0);
            for (var i = 0; i < all.Count; i++)
            {
                instances.Add(Check(all[i], source, $"item {i + 1}"));
            }

            return instances;
        }

        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length > 0)
            {
                instances.Add(Check(Deserialize<SweFeaturesInstance?>(lines[i], source, i + 1), source, $"line {i + 1}"));
            }
        }

        return instances;
    }

    /// <summary>Writes instances as JSON lines.</summary>
    public static void Write(string path, IEnumerable<SweFeaturesInstance> instances) =>
        File.WriteAllLines(path, instances.Select(i => JsonSerializer.Serialize(i, Json)));

    private static T Deserialize<T>(string json, string source, int line)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Json)!;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source}{(line > 0 ? $" line {line}" : string.Empty)}: not a SWE-Features instance: {ex.Message}");
        }
    }

    private static SweFeaturesInstance Check(SweFeaturesInstance? instance, string source, string where)
    {
        string? problem = instance is null ? "empty"
            : string.IsNullOrWhiteSpace(instance.Repo) ? "repo is missing"
            : string.IsNullOrWhiteSpace(instance.Title) ? "title is missing"
            : instance.ChangedFiles is null ? "changed_files is missing"
            : instance.ChangedFiles.Any(f => f is null || string.IsNullOrWhiteSpace(f.Filename) || string.IsNullOrWhiteSpace(f.Status)) ? "every changed file needs a filename and a status"
            : null;
        return problem is null ? instance! : throw new InvalidDataException($"{source} {where}: {problem}.");
    }
}
