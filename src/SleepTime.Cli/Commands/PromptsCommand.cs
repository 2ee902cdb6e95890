using System.CommandLine;

namespace SleepTime.Cli.Commands;

/// <summary><c>sleeptime prompts [id]</c>: lists the shipped prompt templates or prints one.</summary>
internal static class PromptsCommand
{
    public static Command Create()
    {
        var id = new Argument<string?>("id") { Description = "Prompt id to print (omit to list all).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("prompts", "List the versioned prompt templates, or print one.") { id };
        command.SetAction(parseResult =>
        {
            var library = PromptLibrary.Default;
            var requested = parseResult.GetValue(id);
            if (requested is null)
            {
                foreach (var name in library.Ids.Order(StringComparer.Ordinal))
                {
                    Console.WriteLine(library.Get(name));
                }

                return 0;
            }

            try
            {
                Console.WriteLine(library.Get(requested).Text);
                return 0;
            }
            catch (KeyNotFoundException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 2;
            }
        });
        return command;
    }
}
