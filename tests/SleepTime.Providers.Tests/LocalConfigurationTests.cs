using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace SleepTime.Providers.Tests;

/// <summary>Configuration of <see cref="ProviderKind.Local"/> endpoints; none of this loads a model.</summary>
public sealed class LocalConfigurationTests
{
    [Fact]
    public void Local_without_a_model_path_is_a_clear_validation_error()
    {
        var options = new ModelEndpointOptions { Provider = ProviderKind.Local };

        var failure = Assert.Single(Assert.Throws<OptionsValidationException>(() => options.Validate("SleepTime:Models:Sleep")).Failures);

        Assert.Contains("SleepTime:Models:Sleep:ModelPath is required for provider Local", failure);
        Assert.Contains("GGUF", failure);
    }

    [Fact]
    public void Local_with_a_missing_file_names_the_file()
    {
        var options = new ModelEndpointOptions { Provider = ProviderKind.Local, ModelPath = "models/missing.gguf" };

        var failure = Assert.Single(Assert.Throws<OptionsValidationException>(() => options.Validate()).Failures);

        Assert.Contains("ModelPath 'models/missing.gguf' does not exist", failure);
        Assert.Contains(Path.GetFullPath("models/missing.gguf"), failure);
    }

    [Fact]
    public void Local_needs_no_model_id_key_or_endpoint_and_is_named_after_its_file()
    {
        var file = Path.GetTempFileName();
        try
        {
            var options = new ModelEndpointOptions { Provider = ProviderKind.Local, ModelPath = file };

            Assert.Empty(options.GetValidationErrors());
            Assert.Equal(Path.GetFileNameWithoutExtension(file), options.ModelName);
            Assert.Equal("mine", new ModelEndpointOptions { Provider = ProviderKind.Local, ModelPath = file, Model = "mine" }.ModelName);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Local_limits_are_reported_together()
    {
        var file = Path.GetTempFileName();
        try
        {
            var options = new ModelEndpointOptions { Provider = ProviderKind.Local, ModelPath = file, Threads = 0, ContextSize = 8, MaxContexts = 0 };

            var failures = Assert.Throws<OptionsValidationException>(() => options.Validate()).Failures.ToList();

            Assert.Equal(3, failures.Count);
            Assert.Contains(failures, f => f.Contains("Threads must be 1 or more"));
            Assert.Contains(failures, f => f.Contains("ContextSize must be at least 16"));
            Assert.Contains(failures, f => f.Contains("MaxContexts must be 1 or more"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Local_settings_bind_from_configuration()
    {
        var options = SleepTimeModelsOptions.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SleepTime:Models:Sleep:Provider"] = "Local",
            ["SleepTime:Models:Sleep:ModelPath"] = "m.gguf",
            ["SleepTime:Models:Sleep:Threads"] = "1",
            ["SleepTime:Models:Sleep:ContextSize"] = "2048",
            ["SleepTime:Models:Sleep:MaxContexts"] = "3",
        }).Build());

        Assert.Equal(ProviderKind.Local, options.Test.Provider);
        Assert.Equal("m.gguf", options.Test.ModelPath);
        Assert.Equal(1, options.Test.Threads);
        Assert.Equal(2048, options.Test.ContextSize);
        Assert.Equal(3, options.Test.MaxContexts);
        Assert.DoesNotContain(options.GetValidationErrors(), e => e.Contains("No model is configured"));
    }

    [Fact]
    public void The_factory_says_how_to_enable_local_models_when_none_are_plugged_in()
    {
        var file = Path.GetTempFileName();
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => ChatClientFactory.Create(new ModelEndpointOptions { Provider = ProviderKind.Local, ModelPath = file }));

            Assert.Contains("SleepTime.Providers.Local", error.Message);
            Assert.Contains("AddSleepTimeLocalModels", error.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
