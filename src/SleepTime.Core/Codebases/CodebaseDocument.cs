using System.Globalization;
using System.Text;

namespace SleepTime;

/// <summary>
/// Related material a sleep studies alongside a codebase: a pull request, an issue or a note. A pull request has the
/// files it changed, each with its status and patch, as the SWE-Features data set gives them.
/// </summary>
public sealed record CodebaseDocument(string Title, string Body, IReadOnlyList<CodebaseChange> ChangedFiles)
{
    public static CodebaseDocument Note(string title, string body) => new(title, body, []);

    /// <summary>The document as the sleep model is shown it (the paper's flow: title, body, changed files with status and patch).</summary>
    public string Render(int maxPatchChars = 6_000)
    {
        var text = new StringBuilder();
        text.Append("Title: ").Append(Title).Append("\n\n").Append(Body.Trim()).Append('\n');
        if (ChangedFiles.Count > 0)
        {
            text.Append("\nChanged files:\n");
            foreach (var file in ChangedFiles)
            {
                text.Append(CultureInfo.InvariantCulture, $"- {file.Path} ({file.Status})\n");
            }

            foreach (var file in ChangedFiles.Where(f => f.Patch.Length > 0))
            {
                var patch = file.Patch.Length <= maxPatchChars ? file.Patch : file.Patch[..maxPatchChars] + "\n… [patch cut]";
                text.Append(CultureInfo.InvariantCulture, $"\nPatch of {file.Path}:\n```diff\n{patch}\n```\n");
            }
        }

        return text.ToString().TrimEnd();
    }
}
