using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SleepTime.Providers.Local.Tests;

public sealed class LocalModelsTests
{
    [ToyModelFact]
    public void Endpoints_on_the_same_file_share_one_loaded_model()
    {
        using var models = new LocalModels();
        var options = new ModelEndpointOptions { Provider = ProviderKind.Local, ModelPath = ToyModel.Path, Threads = 1 };

        using var sleep = ChatClientFactory.Create(options, localModels: models);
        using var test = ChatClientFactory.Create(options.Clone(), localModels: models);

        Assert.NotSame(sleep, test);
        Assert.Same(sleep.GetService<LocalModel>(), test.GetService<LocalModel>());
        Assert.Equal(1, models.Count);
        Assert.Equal("stories260K", sleep.GetService<ChatClientMetadata>()!.DefaultModelId);
    }

    [ToyModelFact]
    public async Task Dependency_injection_builds_local_clients_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SleepTime:Models:Sleep:Provider"] = "Local",
            ["SleepTime:Models:Sleep:ModelPath"] = ToyModel.Path,
            ["SleepTime:Models:Sleep:Threads"] = "1",
            ["SleepTime:Models:Sleep:MaxContexts"] = "2",
            ["SleepTime:Models:Sleep:ContextSize"] = "128",
        }).Build();
        await using var services = new ServiceCollection().AddSleepTimeLocalModels().AddSleepTimeModels(configuration).BuildServiceProvider();

        var sleep = services.GetRequiredKeyedService<IChatClient>(ModelRoles.Sleep);
        var test = services.GetRequiredKeyedService<IChatClient>(ModelRoles.Test);
        var reply = await test.GetResponseAsync("Once upon a time", new ChatOptions { MaxOutputTokens = 3, Temperature = 0 });

        // AddSleepTimeModels wraps each model in its telemetry (UseOpenTelemetry, UseLogging); the local client is inside.
        Assert.IsType<LocalChatClient>(sleep.GetService<LocalChatClient>());
        Assert.Same(sleep.GetService<LocalModel>(), test.GetService<LocalModel>());
        Assert.Equal(new LocalModelSettings(ToyModel.Path, 128, 1, 2), sleep.GetService<LocalModel>()!.Settings);
        Assert.Equal(3, reply.Usage!.OutputTokenCount);
    }

    [ToyModelFact]
    public void The_default_context_is_the_trained_length()
    {
        var model = ToyModel.Model;

        Assert.Equal(model.TrainedContextSize, model.ContextSize);
        Assert.Equal(512, model.VocabularySize);
    }

    [Fact]
    public void A_file_that_is_not_a_model_is_reported_as_such()
    {
        var path = Path.Combine(Path.GetTempPath(), $"not-a-model-{Guid.NewGuid():N}.gguf");
        File.WriteAllText(path, "this is not a GGUF file");
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => LocalModel.Load(new LocalModelSettings(path)));

            Assert.Contains(path, error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_file_is_reported_before_llama_cpp_is_loaded()
    {
        var error = Assert.Throws<FileNotFoundException>(() => LocalModel.Load(new LocalModelSettings("/nonexistent/model.gguf")));

        Assert.Contains("/nonexistent/model.gguf", error.Message);
    }
}
