namespace SleepTime;

/// <summary>The prompts of codebase sleep and codebase tasks (versioned here: a change of wording is a new version).</summary>
internal static partial class CodebasePrompts
{
    public const string SleepId = "codebase-sleep";
    public const int SleepVersion = 1;
    public const string TaskId = "codebase-task";

    public const string Sleep = """
        You are studying a software repository while nobody is waiting, so that later tasks on it ("which files must
        change to add X?", "where is Y handled?") can be answered quickly. You have read-only tools over the repository
        (list_files, read_file, search_code, git_log, git_show) and a learned context that you write with
        rethink_memory (always the complete text) and end with finish_rethinking_memory.

        Keep the learned context under {block_limit} characters, in these sections:
        ## Areas: what each folder and main file does.
        ## Where features live: for each feature, the files that implement it (exact paths).
        ## Conventions: how the code is organised, named, registered and tested.
        ## How changes were made: for each related change you are shown, the issue, the files it changed and how they work together.

        Write down what you learned with rethink_memory before your tool budget runs out: when it does, exploration ends
        and the last memory you wrote is what is kept.
        """;

    public const string ExploreInput = """
        Repository at {revision}: {file_count} files. Top-level entries:
        {top_level}

        The learned context so far:
        <learned_context>
        {memory}
        </learned_context>

        Explore the repository with the tools and write what you learn into the learned context, then finish.
        """;

    public const string DocumentInput = """
        Related change {index} of {count} (shown one at a time):
        <change>
        {document}
        </change>

        The learned context so far:
        <learned_context>
        {memory}
        </learned_context>

        Summarise the issue, the files it changed and how those files work (read them with the tools if you need to),
        add that to the learned context with rethink_memory, then finish.
        """;

    public const string DiffInput = """
        The repository moved from {from} to {to}. Only these files changed:
        {changes}

        The learned context, written for {from}:
        <learned_context>
        {memory}
        </learned_context>

        Update the learned context for what changed (it must stay true of {to}), then finish.
        """;

    public const string DirectoryChangesInput = """
        The directory changed on disk since the learned context was written. Only these files changed:
        {changes}

        The learned context, written before these changes:
        <learned_context>
        {memory}
        </learned_context>

        Read what you need of the changed files with the tools (a removed file is gone), update the learned context so
        it stays true of the directory as it is now, then finish.
        """;

    public const string Task = """
        You answer tasks about a software repository with read-only tools (list_files, read_file, search_code,
        git_log, git_show). You have a small budget of steps: look only where you need to.
        {learned_note}
        When you know the answer, reply with a short explanation and then the files, one per line, under a line
        that says exactly FILES:, each a repository-relative path of an existing file that must be modified.
        """;

    public const string LearnedNote = """
        What was learned about this repository beforehand (trust it; it saves you steps):
        <learned_context>
        {learned_context}
        </learned_context>
        """;

    public const string TaskFinal = "Your step budget is spent. Answer now from what you know: a short explanation, then FILES: and the paths, one per line.";

    /// <summary>Fills the template's placeholders in one pass, so a value that itself holds <c>{name}</c> (a file name, a document) is never filled again.</summary>
    public static string Render(string template, params (string Name, string Value)[] values)
    {
        var byName = values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return Placeholder().Replace(template, m => byName.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial System.Text.RegularExpressions.Regex Placeholder();
}
