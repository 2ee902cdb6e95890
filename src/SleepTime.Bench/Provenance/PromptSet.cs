namespace SleepTime.Bench.Provenance;

/// <summary>
/// The prompts a run uses, where they came from, and their content hashes: one per prompt (saved in
/// <c>config.json</c>) and one per phase (saved on every result), so a changed prompt is noticed on resume.
/// </summary>
public sealed class PromptSet
{
    public const string BuiltIn = "built-in";

    public PromptSet(PromptLibrary library, string source)
    {
        Library = library ?? throw new ArgumentNullException(nameof(library));
        Source = source;
        var templates = library.Ids.Order(StringComparer.Ordinal).Select(id => library.Get(id)).ToList();
        Hashes = templates.ToDictionary(t => t.ToString(), t => ContentHash.OfText(t.Text), StringComparer.Ordinal);
        SleepHash = PhaseHash(templates.Where(t => t.Id.StartsWith("sleep-", StringComparison.Ordinal)));
        TestHash = PhaseHash(templates.Where(t => t.Id.StartsWith("answer", StringComparison.Ordinal)));
    }

    public static PromptSet Default { get; } = new(PromptLibrary.Default, BuiltIn);

    public PromptLibrary Library { get; }

    /// <summary><see cref="BuiltIn"/>, or the folder the prompts were loaded from.</summary>
    public string Source { get; }

    /// <summary>Prompt (<c>id.vN</c>) → SHA-256 of its text.</summary>
    public IReadOnlyDictionary<string, string> Hashes { get; }

    /// <summary>Short hash of every sleep prompt, stored on each sleep result.</summary>
    public string SleepHash { get; }

    /// <summary>Short hash of every answering prompt, stored on each answer.</summary>
    public string TestHash { get; }

    /// <summary>The answering prompts a budget uses, e.g. <c>answer.v1+answer-level-3.v1</c>.</summary>
    public string TestVersion(int verbosity, bool contextOnly) =>
        $"{Library.Get("answer")}+{Library.Get($"answer-level-{verbosity}")}" + (contextOnly ? $"+{Library.Get("answer-context-only")}" : string.Empty);

    private static string PhaseHash(IEnumerable<PromptTemplate> templates) =>
        ContentHash.Short(ContentHash.OfParts(templates.SelectMany(t => new[] { t.ToString(), t.Text }).ToArray()));
}
