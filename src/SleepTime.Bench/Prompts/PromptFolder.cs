using System.Globalization;
using System.Text.RegularExpressions;
using SleepTime.Bench.Provenance;

namespace SleepTime.Bench.Prompts;

/// <summary>
/// Loads a prompt set from a folder the user gives, over the built-in prompts (a prompt the folder does not hold
/// stays built-in). Two layouts are understood:
/// <list type="bullet">
/// <item>the project's own: <c>&lt;id&gt;.v&lt;N&gt;.md</c> files, e.g. <c>answer-level-0.v2.md</c>, replacing that id;</item>
/// <item>the paper's reference repository (a checkout of it, or its <c>prompts/</c> folder):
/// <c>system/convo_verbosity_N.txt</c> becomes the whole test-time system prompt at verbosity N (with
/// <c>persona/persona_verbosity_N.txt</c> and <c>human/human_verbosity_N.txt</c> appended as memory blocks when
/// present, as the reference agent holds them), <c>system/sleep_time_base.txt</c> the general and math sleep
/// prompts, and <c>system/sleep_time_base_aime.txt</c> the partial-problem one; the tool or plain-text
/// instructions of the sleep mode are appended.</item>
/// </list>
/// The project ships none of the reference texts; they are read from the user's copy and recorded by hash.
/// </summary>
public static partial class PromptFolder
{
    public static PromptSet Load(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new SleepTimeValidationException("prompts", $"The prompt folder {folder} does not exist.");
        }

        var full = Path.GetFullPath(folder);
        var loaded = new List<PromptTemplate>();
        foreach (var file in Directory.EnumerateFiles(full, "*.md").Order(StringComparer.Ordinal))
        {
            var match = OwnName().Match(Path.GetFileName(file));
            if (match.Success)
            {
                loaded.Add(new PromptTemplate(match.Groups["id"].Value, int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture), File.ReadAllText(file).Trim()));
            }
        }

        var reference = Directory.Exists(Path.Combine(full, "prompts", "system")) ? Path.Combine(full, "prompts") : full;
        loaded.AddRange(ReferenceLayout(reference));
        if (loaded.Count == 0)
        {
            throw new SleepTimeValidationException("prompts",
                $"{folder} holds no prompts: expected files named <id>.v<N>.md (ids: {string.Join(", ", PromptLibrary.Default.Ids.Order(StringComparer.Ordinal))}) or the reference repository's prompts/system/convo_verbosity_N.txt and sleep_time_base.txt.");
        }

        var replaced = loaded.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var builtIn = PromptLibrary.Default.Ids.Where(id => !replaced.Contains(id)).Select(id => PromptLibrary.Default.Get(id));
        return new PromptSet(new PromptLibrary(builtIn.Concat(loaded)), full);
    }

    private static IEnumerable<PromptTemplate> ReferenceLayout(string prompts)
    {
        string? Read(params string[] parts)
        {
            var path = Path.Combine([prompts, .. parts]);
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }

        var levels = Enumerable.Range(AnswerBudget.MinVerbosity, AnswerBudget.MaxVerbosity + 1)
            .Select(level => (level, system: Read("system", $"convo_verbosity_{level}.txt")))
            .Where(l => l.system is not null)
            .ToList();
        if (levels.Count > 0)
        {
            if (levels.Count != AnswerBudget.MaxVerbosity + 1)
            {
                throw new SleepTimeValidationException("prompts", $"{prompts}/system has convo_verbosity files for levels {string.Join(", ", levels.Select(l => l.level))} only; all of 0 to 4 are needed.");
            }

            // The reference system prompt is the whole system message: no frame and no learned-context note of ours.
            yield return new PromptTemplate("answer", 1, "{{verbosity}}");
            yield return new PromptTemplate("answer-learned-note", 1, string.Empty);
            foreach (var (level, system) in levels)
            {
                var text = system!;
                if (Read("persona", $"persona_verbosity_{level}.txt") is { } persona)
                {
                    text += $"\n\n<persona>\n{persona}\n</persona>";
                }

                if (Read("human", $"human_verbosity_{level}.txt") is { } human)
                {
                    text += $"\n\n<human>\n{human}\n</human>";
                }

                yield return new PromptTemplate($"answer-level-{level}", 1, text);
            }
        }

        if (Read("system", "sleep_time_base.txt") is { } sleep)
        {
            yield return new PromptTemplate("sleep-general", 1, sleep + "\n\n{{mode_instructions}}");
            yield return new PromptTemplate("sleep-math", 1, sleep + "\n\n{{mode_instructions}}");
        }

        if (Read("system", "sleep_time_base_aime.txt") is { } aime)
        {
            yield return new PromptTemplate("sleep-partial", 1, aime + "\n\n{{mode_instructions}}");
        }
    }

    [GeneratedRegex(@"^(?<id>[a-z0-9-]+)\.v(?<version>\d+)\.md$")]
    private static partial Regex OwnName();
}
