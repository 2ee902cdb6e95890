using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using SleepTime.Providers.Local.Embedded;

namespace SleepTime.Providers.Local.Tests;

/// <summary>The embedded default: sleeptime-tiny with what it was trained on, found where it is shipped.</summary>
public sealed class EmbeddedModelTests
{
    [Fact]
    public void The_defaults_run_both_phases_locally_with_the_compact_prompts_and_plain_text_sleep()
    {
        var defaults = EmbeddedModel.Defaults("models/sleeptime-tiny/sleeptime-tiny.gguf");

        Assert.Equal(ProviderKind.Local, defaults.Endpoint.Provider);
        Assert.True(Path.IsPathFullyQualified(defaults.Endpoint.ModelPath!));
        Assert.Equal(EmbeddedModel.Name, defaults.Endpoint.ModelName);
        Assert.Equal(1, defaults.Endpoint.Threads);
        Assert.Empty(defaults.Endpoint.GetValidationErrors());
        Assert.Same(PromptLibrary.Compact, defaults.Prompts);
        Assert.Equal(SleepMode.PlainText, defaults.SleepOptions.Mode);
        Assert.Equal(SleepPromptVariant.Math, defaults.SleepOptions.Variant);
        Assert.Contains("demo model that only knows SleepTime's generated word problems; configure an endpoint for real work", defaults.Notice, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_file_is_found_next_to_the_application_and_registered()
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, EmbeddedModel.RelativePath);
        Assert.True(File.Exists(shipped), $"{EmbeddedModel.RelativePath} is copied to the output of every project that references SleepTime.Providers.Local");

        Assert.Equal(shipped, EmbeddedModel.FindFile());
        using var provider = new ServiceCollection().AddSleepTimeEmbeddedModel().BuildServiceProvider();
        Assert.Equal(shipped, provider.GetRequiredService<EmbeddedModelDefaults>().Endpoint.ModelPath);
        Assert.Same(LocalModels.Shared, provider.GetRequiredService<ILocalChatClientFactory>());
    }

    [Theory]
    [InlineData("models/sleeptime-tiny/sleeptime-tiny.gguf", true)]
    [InlineData("/tmp/SLEEPTIME-TINY.GGUF", true)]
    [InlineData("models/stories260K/stories260K.gguf", false)]
    [InlineData(null, false)]
    public void Only_sleeptime_tinys_file_counts_as_the_embedded_model(string? path, bool embedded) =>
        Assert.Equal(embedded, EmbeddedModel.IsEmbedded(path));

    [Fact]
    public async Task Its_client_decodes_greedily_unless_a_call_asks_for_a_temperature()
    {
        var recorder = new RecordingFactory();
        using var client = EmbeddedModel.Defaults("models/sleeptime-tiny/sleeptime-tiny.gguf").CreateChatClient(recorder, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

        await client.GetResponseAsync("q");
        await client.GetResponseAsync("q", new Microsoft.Extensions.AI.ChatOptions { Temperature = 0.7f });

        Assert.Equal([0f, 0.7f], recorder.Temperatures);
    }

    private sealed class RecordingFactory : ILocalChatClientFactory, Microsoft.Extensions.AI.IChatClient
    {
        public List<float?> Temperatures { get; } = [];

        public Microsoft.Extensions.AI.IChatClient CreateChatClient(ModelEndpointOptions options, Microsoft.Extensions.Logging.ILoggerFactory loggerFactory) => this;

        public Task<Microsoft.Extensions.AI.ChatResponse> GetResponseAsync(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, Microsoft.Extensions.AI.ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Temperatures.Add(options?.Temperature);
            return Task.FromResult(new Microsoft.Extensions.AI.ChatResponse(new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.Assistant, "The answer is 1.")));
        }

        public IAsyncEnumerable<Microsoft.Extensions.AI.ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, Microsoft.Extensions.AI.ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
