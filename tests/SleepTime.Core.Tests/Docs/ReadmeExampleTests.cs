using System.Text.RegularExpressions;
using SleepTime.Testing.Conditions;

namespace SleepTime.Tests.Docs;

public class ReadmeExampleTests
{
    [Fact]
    public void The_readme_library_example_is_the_compiled_sample_verbatim()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md")).ReplaceLineEndings("\n");
        var sample = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "SleepTime.QuickStart", "Program.cs")).ReplaceLineEndings("\n");

        var example = Regex.Match(readme, "## Use it as a library\n\n```csharp\n(?<code>.*?)```", RegexOptions.Singleline);

        Assert.True(example.Success, "README.md has no C# example under '## Use it as a library'.");
        var body = example.Groups["code"].Value.Split('\n').SkipWhile(l => l.StartsWith("using ", StringComparison.Ordinal) || l.Length == 0);
        Assert.Contains(string.Join("\n", body).TrimEnd(), sample, StringComparison.Ordinal);
    }
}
