using SleepTime.Testing.Conditions;
using SleepTime.Testing.OpenAiCompatible;

namespace SleepTime.Providers.Tests;

public sealed class RepositoryPathsTests
{
    [Fact]
    public void Finds_the_folder_with_the_solution_file()
    {
        var root = RepositoryPaths.Root;

        Assert.True(File.Exists(Path.Combine(root, RepositoryPaths.SolutionFileName)));
        Assert.StartsWith(root, AppContext.BaseDirectory, StringComparison.Ordinal);
    }

    [Fact]
    public void Finds_no_root_outside_a_checkout()
    {
        var outside = Directory.CreateTempSubdirectory("sleeptime-no-repo-");
        try
        {
            Assert.Null(RepositoryPaths.FindRoot(outside.FullName));
        }
        finally
        {
            outside.Delete(recursive: true);
        }
    }

    [Fact]
    public void Llama_server_condition_agrees_with_the_files_on_disk()
    {
        var present = RepositoryPaths.TryShared(LlamaServerProcess.ServerBinary) is not null
            && RepositoryPaths.TryShared(LlamaServerProcess.RunScript) is not null
            && RepositoryPaths.TryShared(LlamaServerProcess.ToyModel) is not null;

        var skip = new LlamaServerFactAttribute().Skip;

        Assert.Equal(present, skip is null);
        Assert.Equal(present, LlamaServerProcess.MissingReason() is null);
    }
}
