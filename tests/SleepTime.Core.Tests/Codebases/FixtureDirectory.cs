using Microsoft.Extensions.AI;

namespace SleepTime.Tests.Codebases;

/// <summary>A temporary folder holding a generated fixture repository in <c>repo/</c> and a secret file beside it, outside the repository.</summary>
internal sealed class FixtureDirectory : IAsyncDisposable
{
    private FixtureDirectory(string root, CodebaseFixture fixture)
    {
        Root = root;
        Fixture = fixture;
    }

    public string Root { get; }

    public CodebaseFixture Fixture { get; }

    public string Repository => Fixture.Path;

    public string SecretPath => Path.Combine(Root, "secret.txt");

    public const string Secret = "the secret outside the repository";

    public static async Task<FixtureDirectory> CreateAsync(int fillerFiles = 0)
    {
        var root = Path.Combine(Path.GetTempPath(), "sleeptime-codebase-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(root, "secret.txt"), Secret);
        var fixture = await CodebaseFixture.CreateAsync(Path.Combine(root, "repo"), fillerFiles);
        return new FixtureDirectory(root, fixture);
    }

    /// <summary>Adds symlinks that point out of the repository (a file, a folder, an absolute path) and one that stays inside; commits them.</summary>
    public async Task<string> CommitSymlinksAsync()
    {
        File.CreateSymbolicLink(Path.Combine(Repository, "leak.txt"), "../secret.txt");
        File.CreateSymbolicLink(Path.Combine(Repository, "absolute.txt"), SecretPath);
        Directory.CreateSymbolicLink(Path.Combine(Repository, "outside"), "..");
        File.CreateSymbolicLink(Path.Combine(Repository, "settings.py"), "app/config.py");
        return await Fixture.CommitAllAsync("Add symlinks");
    }

    public static async Task<string> InvokeAsync(CodebaseTools tools, string name, object? arguments = null)
    {
        var function = tools.All.OfType<AIFunction>().Single(f => f.Name == name);
        var values = arguments is null
            ? new Dictionary<string, object?>()
            : arguments.GetType().GetProperties().ToDictionary(p => p.Name, p => p.GetValue(arguments));
        return (string)(await function.InvokeAsync(new AIFunctionArguments(values)))!;
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return ValueTask.CompletedTask;
    }
}
