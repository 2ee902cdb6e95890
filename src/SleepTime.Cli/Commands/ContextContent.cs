using System.CommandLine;
using SleepTime.Server;

namespace SleepTime.Cli.Commands;

/// <summary>
/// What a context command sends: a document's text (an argument, '-' for standard input) or conversation turns
/// (<c>--turn role=text</c>, repeated, in order).
/// </summary>
internal sealed class ContextContent
{
    public Argument<string?> Text { get; } = new("text") { Description = "Document text, or '-' to read standard input.", Arity = ArgumentArity.ZeroOrOne };

    public Option<string[]> Turns { get; } = new("--turn")
    {
        Description = "A conversation turn as role=text (user, assistant, system...); repeat for several, in order.",
        AllowMultipleArgumentsPerToken = false,
    };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Text);
        command.Options.Add(Turns);
    }

    /// <summary>The body's <c>text</c> or <c>content</c>, or null after writing what is wrong.</summary>
    public (string? Text, IReadOnlyList<ContentItem>? Content)? Read(ParseResult parseResult)
    {
        var text = parseResult.GetValue(Text);
        var turns = parseResult.GetValue(Turns) ?? [];
        var error = ApiCalls.Error(parseResult);
        if (text is not null && turns.Length > 0)
        {
            error.WriteLine("Pass either the document text or --turn items, not both.");
            return null;
        }

        if (text is null && turns.Length == 0)
        {
            error.WriteLine("Pass the document text (or '-' for standard input), or one --turn role=text per conversation turn.");
            return null;
        }

        if (text is not null)
        {
            return (text == "-" ? Console.In.ReadToEnd() : text, null);
        }

        var content = new ContentItem[turns.Length];
        for (var i = 0; i < turns.Length; i++)
        {
            var at = turns[i].IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                error.WriteLine($"--turn '{turns[i]}' is not role=text (such as --turn \"user=I moved to Lyon\").");
                return null;
            }

            content[i] = new ContentItem(turns[i][(at + 1)..], turns[i][..at].Trim());
        }

        return (null, content);
    }
}
