using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using SleepTime.Agents;

namespace SleepTime.Cli.Commands;

/// <summary>
/// <c>sleeptime prompts [id]</c>: lists the shipped prompt templates (the engine's and the agents'), one
/// <c>id.vN</c> per line, or prints one. Every listed name is accepted back: <c>id</c> (the newest version) or <c>id.vN</c>.
/// </summary>
internal static partial class PromptsCommand
{
    private static readonly PromptLibrary[] Libraries = [PromptLibrary.Default, AgentPrompts.Library];

    public static Command Create()
    {
        var id = new Argument<string?>("id") { Description = "Prompt to print, as listed (id.vN) or just id for its newest version; omit to list all.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("prompts", "List the versioned prompt templates, or print one.") { id };
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var requested = parseResult.GetValue(id);
            if (requested is null)
            {
                foreach (var name in List())
                {
                    output.WriteLine(name);
                }

                return 0;
            }

            if (Find(requested) is { } template)
            {
                output.WriteLine(template.Text);
                return 0;
            }

            parseResult.InvocationConfiguration.Error.WriteLine($"No prompt '{requested}' is shipped. Run `sleeptime prompts` for the list.");
            return 2;
        });
        return command;
    }

    /// <summary>Every shipped template as <c>id.vN</c>, sorted.</summary>
    public static IReadOnlyList<string> List() =>
        Libraries.SelectMany(library => library.Ids.SelectMany(name => Versions(library, name))).Select(t => t.ToString()).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>The template named <c>id</c> (newest) or <c>id.vN</c>, or null.</summary>
    public static PromptTemplate? Find(string name)
    {
        var versioned = VersionedName().Match(name);
        foreach (var library in Libraries)
        {
            try
            {
                return versioned.Success
                    ? library.Get(versioned.Groups["id"].Value, int.Parse(versioned.Groups["version"].Value, CultureInfo.InvariantCulture))
                    : library.Get(name);
            }
            catch (KeyNotFoundException)
            {
            }
        }

        return null;
    }

    private static IEnumerable<PromptTemplate> Versions(PromptLibrary library, string name)
    {
        var newest = library.Get(name);
        for (var version = 1; version <= newest.Version; version++)
        {
            PromptTemplate? template;
            try
            {
                template = library.Get(name, version);
            }
            catch (KeyNotFoundException)
            {
                template = null;
            }

            if (template is not null)
            {
                yield return template;
            }
        }
    }

    [GeneratedRegex(@"^(?<id>[a-z0-9-]+)\.v(?<version>\d{1,9})$")]
    private static partial Regex VersionedName();
}
