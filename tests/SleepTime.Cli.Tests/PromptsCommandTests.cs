namespace SleepTime.Cli.Tests;

/// <summary><c>sleeptime prompts</c> lists only names it accepts back.</summary>
public sealed class PromptsCommandTests
{
    [Fact]
    public async Task Every_listed_prompt_is_accepted_back_and_prints_its_text()
    {
        var list = await CliRun.InvokeAsync(["prompts"]);
        Assert.Equal(0, list.Exit);
        var names = list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("sleep-general.v1", names);
        Assert.Contains("primary-agent.v1", names);

        foreach (var name in names)
        {
            var shown = await CliRun.InvokeAsync(["prompts", name]);
            Assert.True(shown.Exit == 0, $"prompts {name}: {shown.Error}");
            Assert.Equal(PromptLibraryText(name), shown.Output.TrimEnd());
        }

        var newest = await CliRun.InvokeAsync(["prompts", "sleep-general"]);
        Assert.Equal(0, newest.Exit);
    }

    [Fact]
    public async Task An_unknown_prompt_says_how_to_list_them()
    {
        var run = await CliRun.InvokeAsync(["prompts", "no-such-prompt.v3"]);

        Assert.Equal(2, run.Exit);
        Assert.Contains("sleeptime prompts", run.Error, StringComparison.Ordinal);
    }

    private static string PromptLibraryText(string name)
    {
        var at = name.LastIndexOf(".v", StringComparison.Ordinal);
        var (id, version) = (name[..at], int.Parse(name[(at + 2)..], System.Globalization.CultureInfo.InvariantCulture));
        foreach (var library in new[] { PromptLibrary.Default, SleepTime.Agents.AgentPrompts.Library })
        {
            if (library.Ids.Contains(id))
            {
                return library.Get(id, version).Text;
            }
        }

        throw new KeyNotFoundException(name);
    }
}
