using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SleepTime.Testing.OpenAiCompatible;

namespace SleepTime.Providers.Tests;

public sealed class ConfigurationTests
{
    private static IConfiguration Config(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();

    [Fact]
    public void Binds_both_phases_from_configuration()
    {
        var options = SleepTimeModelsOptions.FromConfiguration(Config(
            ("SleepTime:Models:Sleep:Provider", "Anthropic"),
            ("SleepTime:Models:Sleep:Model", "claude-sonnet-4-5"),
            ("SleepTime:Models:Sleep:ApiKeyEnvironmentVariable", "ANTHROPIC_API_KEY"),
            ("SleepTime:Models:Sleep:Timeout", "00:05:00"),
            ("SleepTime:Models:Sleep:MaxRetries", "6"),
            ("SleepTime:Models:Test:Provider", "OpenAICompatible"),
            ("SleepTime:Models:Test:Model", "qwen3-8b"),
            ("SleepTime:Models:Test:Endpoint", "http://localhost:8000/v1"),
            ("SleepTime:Models:Test:RetryBaseDelay", "00:00:02"),
            ("SleepTime:Models:Test:RetryMaxDelay", "00:00:30")));

        Assert.Equal(ProviderKind.Anthropic, options.Sleep.Provider);
        Assert.Equal("claude-sonnet-4-5", options.Sleep.Model);
        Assert.Equal("ANTHROPIC_API_KEY", options.Sleep.ApiKeyEnvironmentVariable);
        Assert.Equal(TimeSpan.FromMinutes(5), options.Sleep.Timeout);
        Assert.Equal(6, options.Sleep.MaxRetries);
        Assert.Equal(ProviderKind.OpenAICompatible, options.Test.Provider);
        Assert.Equal("qwen3-8b", options.Test.Model);
        Assert.Equal(new Uri("http://localhost:8000/v1"), options.Test.Endpoint);
        Assert.Equal(TimeSpan.FromSeconds(2), options.Test.RetryBaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Test.RetryMaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(100), options.Test.Timeout);
        Assert.Equal(4, options.Test.MaxRetries);
    }

    [Theory]
    [InlineData("Sleep")]
    [InlineData("Test")]
    public void A_single_endpoint_serves_both_phases(string configured)
    {
        var options = SleepTimeModelsOptions.FromConfiguration(Config(
            ($"SleepTime:Models:{configured}:Provider", "Ollama"),
            ($"SleepTime:Models:{configured}:Model", "qwen3:8b"),
            ($"SleepTime:Models:{configured}:Endpoint", "http://localhost:11434")));

        foreach (var endpoint in new[] { options.Sleep, options.Test })
        {
            Assert.Equal(ProviderKind.Ollama, endpoint.Provider);
            Assert.Equal("qwen3:8b", endpoint.Model);
            Assert.Equal(new Uri("http://localhost:11434"), endpoint.Endpoint);
        }

        Assert.NotSame(options.Sleep, options.Test);
        Assert.Empty(options.GetValidationErrors());
    }

    [Fact]
    public void Nothing_configured_says_what_to_set()
    {
        var error = Assert.Throws<OptionsValidationException>(() => SleepTimeModelsOptions.FromConfiguration(Config()).Validate());

        Assert.Contains("No model is configured", error.Message);
        Assert.Contains("SleepTime:Models:Sleep", error.Message);
    }

    [Fact]
    public void Missing_model_is_named_with_its_configuration_path()
    {
        var options = new ModelEndpointOptions { Provider = ProviderKind.OpenAICompatible, Endpoint = new Uri("http://localhost:8000/v1") };

        var error = Assert.Throws<OptionsValidationException>(() => options.Validate("SleepTime:Models:Sleep"));

        Assert.Contains("SleepTime:Models:Sleep:Model is required", Assert.Single(error.Failures));
    }

    [Theory]
    [InlineData(ProviderKind.OpenAICompatible, "http://localhost:8000/v1")]
    [InlineData(ProviderKind.Ollama, "http://localhost:11434")]
    public void Missing_endpoint_is_reported_for_providers_that_need_one(ProviderKind provider, string example)
    {
        var options = new ModelEndpointOptions { Provider = provider, Model = "m" };

        var failure = Assert.Single(Assert.Throws<OptionsValidationException>(() => options.Validate()).Failures);

        Assert.Contains($"Endpoint is required for provider {provider}", failure);
        Assert.Contains(example, failure);
    }

    [Theory]
    [InlineData(ProviderKind.OpenAI)]
    [InlineData(ProviderKind.Anthropic)]
    public void Missing_key_is_reported_for_hosted_providers(ProviderKind provider)
    {
        var options = new ModelEndpointOptions { Provider = provider, Model = "m" };

        var failure = Assert.Single(Assert.Throws<OptionsValidationException>(() => options.Validate()).Failures);

        Assert.Contains($"ApiKey is required for provider {provider}", failure);
        Assert.Contains("ApiKeyEnvironmentVariable", failure);
    }

    [Fact]
    public void Key_named_by_an_unset_environment_variable_is_reported_with_its_name()
    {
        var variable = "SLEEPTIME_TEST_KEY_" + Guid.NewGuid().ToString("N");
        var options = new ModelEndpointOptions { Provider = ProviderKind.OpenAI, Model = "m", ApiKeyEnvironmentVariable = variable };

        var failure = Assert.Single(Assert.Throws<OptionsValidationException>(() => options.Validate()).Failures);

        Assert.Contains(variable, failure);
    }

    [Fact]
    public void Key_is_read_from_the_named_environment_variable()
    {
        var variable = "SLEEPTIME_TEST_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "sk-from-env");
        try
        {
            var options = new ModelEndpointOptions { Provider = ProviderKind.OpenAI, Model = "m", ApiKeyEnvironmentVariable = variable };

            Assert.Equal("sk-from-env", options.ResolveApiKey());
            Assert.Empty(options.GetValidationErrors());
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void Keyless_local_endpoints_are_valid()
    {
        Assert.Empty(new ModelEndpointOptions { Provider = ProviderKind.OpenAICompatible, Model = "m", Endpoint = new Uri("http://localhost:8080/v1") }.GetValidationErrors());
        Assert.Empty(new ModelEndpointOptions { Provider = ProviderKind.Ollama, Model = "m", Endpoint = new Uri("http://localhost:11434") }.GetValidationErrors());
    }

    [Fact]
    public void Nonsense_limits_are_reported_together()
    {
        var options = new ModelEndpointOptions
        {
            Provider = ProviderKind.OpenAICompatible,
            Model = "m",
            Endpoint = new Uri("ftp://example.org/"),
            Timeout = TimeSpan.Zero,
            MaxRetries = -1,
            RetryBaseDelay = TimeSpan.FromSeconds(10),
            RetryMaxDelay = TimeSpan.FromSeconds(1),
        };

        var failures = Assert.Throws<OptionsValidationException>(() => options.Validate()).Failures.ToList();

        Assert.Equal(4, failures.Count);
        Assert.Contains(failures, f => f.Contains("http or https"));
        Assert.Contains(failures, f => f.Contains("Timeout must be positive"));
        Assert.Contains(failures, f => f.Contains("MaxRetries"));
        Assert.Contains(failures, f => f.Contains("RetryMaxDelay"));
    }

    [Fact]
    public void Factory_refuses_invalid_options()
    {
        var error = Assert.Throws<OptionsValidationException>(() => ChatClientFactory.Create(new ModelEndpointOptions { Provider = ProviderKind.Ollama }));

        Assert.Equal(2, error.Failures.Count());
    }

    [Fact]
    public async Task Di_registers_keyed_clients_for_both_roles_from_one_endpoint()
    {
        await using var server = await FakeOpenAiServer.StartAsync(request => FakeReply.Text("echo: " + request.LastUserText));
        var services = new ServiceCollection()
            .AddSleepTimeModels(Config(
                ("SleepTime:Models:Sleep:Provider", "OpenAICompatible"),
                ("SleepTime:Models:Sleep:Model", "the-model"),
                ("SleepTime:Models:Sleep:Endpoint", server.BaseUrl.ToString())))
            .BuildServiceProvider();
        await using var _ = services;

        var sleep = services.GetRequiredKeyedService<IChatClient>(ModelRoles.Sleep);
        var test = services.GetRequiredKeyedService<IChatClient>(ModelRoles.Test);

        Assert.NotSame(sleep, test);
        Assert.Equal("echo: one", (await sleep.GetResponseAsync("one")).Text);
        Assert.Equal("echo: two", (await test.GetResponseAsync("two")).Text);
        Assert.All(server.ChatRequests, r => Assert.Equal("the-model", r.Model));
        Assert.Equal(2, server.ChatRequests.Count);
    }

    [Fact]
    public async Task Di_uses_a_different_model_per_role_when_both_are_configured()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        var services = new ServiceCollection()
            .AddSleepTimeModels(Config(
                ("SleepTime:Models:Sleep:Provider", "OpenAICompatible"),
                ("SleepTime:Models:Sleep:Model", "big-thinker"),
                ("SleepTime:Models:Sleep:Endpoint", server.BaseUrl.ToString()),
                ("SleepTime:Models:Test:Provider", "OpenAICompatible"),
                ("SleepTime:Models:Test:Model", "small-answerer"),
                ("SleepTime:Models:Test:Endpoint", server.BaseUrl.ToString())))
            .BuildServiceProvider();
        await using var _ = services;

        await services.GetRequiredKeyedService<IChatClient>(ModelRoles.Sleep).GetResponseAsync("a");
        await services.GetRequiredKeyedService<IChatClient>(ModelRoles.Test).GetResponseAsync("b");

        Assert.Equal(["big-thinker", "small-answerer"], server.ChatRequests.Select(r => r.Model));
    }

    [Fact]
    public void Di_reports_invalid_configuration_when_a_client_is_resolved()
    {
        var services = new ServiceCollection()
            .AddSleepTimeModels(Config(("SleepTime:Models:Sleep:Provider", "OpenAICompatible"), ("SleepTime:Models:Sleep:Model", "m")))
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredKeyedService<IChatClient>(ModelRoles.Test));

        Assert.Contains(error.Failures, f => f.Contains("SleepTime:Models:Test:Endpoint is required"));
    }
}
