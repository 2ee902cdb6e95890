using System.CommandLine;
using Microsoft.Extensions.AI;
using SleepTime.Bench.Models;
using SleepTime.Providers;

namespace SleepTime.Cli.Commands;

/// <summary>
/// The model flags of <c>bench run</c>: one endpoint for the test phase and, optionally, another for the sleep phase
/// (a cheap fast test model beside a stronger sleep model), or <c>--fake</c> for an instant offline dry run.
/// </summary>
internal sealed class BenchModelOptions
{
    public Option<bool> Fake { get; } = new("--fake") { Description = "Use the built-in instant fake model for both phases (dry run, no network)." };

    public Option<ProviderKind> Provider { get; } = new("--provider") { Description = "Provider of the test model.", DefaultValueFactory = _ => ProviderKind.OpenAICompatible };

    public Option<Uri?> Endpoint { get; } = UriOption.Create("--endpoint", "Base URL of the test model's server, e.g. http://localhost:8000/v1.");

    public Option<string?> Model { get; } = new("--model") { Description = "Test model id." };

    public Option<string?> ApiKeyEnv { get; } = new("--api-key-env") { Description = "Environment variable holding the test model's API key." };

    public Option<ProviderKind?> SleepProvider { get; } = new("--sleep-provider") { Description = "Provider of the sleep model (default: --provider)." };

    public Option<Uri?> SleepEndpoint { get; } = UriOption.Create("--sleep-endpoint", "Base URL of the sleep model's server (default: --endpoint).");

    public Option<string?> SleepModel { get; } = new("--sleep-model") { Description = "Sleep model id (default: --model)." };

    public Option<string?> SleepApiKeyEnv { get; } = new("--sleep-api-key-env") { Description = "Environment variable holding the sleep model's API key (default: --api-key-env)." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Fake, Provider, Endpoint, Model, ApiKeyEnv, SleepProvider, SleepEndpoint, SleepModel, SleepApiKeyEnv })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The sleep and test clients, and how each is named in the saved configuration (never with its key).</summary>
    public (IChatClient Sleep, string SleepName, IChatClient Test, string TestName) Create(ParseResult parse)
    {
        if (parse.GetValue(Fake))
        {
            var fake = new InstantFakeModel();
            return (fake, InstantFakeModel.ModelId, fake, InstantFakeModel.ModelId);
        }

        var test = new ModelEndpointOptions
        {
            Provider = parse.GetValue(Provider),
            Endpoint = parse.GetValue(Endpoint),
            Model = parse.GetValue(Model),
            ApiKeyEnvironmentVariable = parse.GetValue(ApiKeyEnv),
        };
        if (string.IsNullOrWhiteSpace(test.Model))
        {
            throw new SleepTimeValidationException("model", "Name a model with --model (and --endpoint for a local server), or use --fake for a dry run.");
        }

        var sleep = new ModelEndpointOptions
        {
            Provider = parse.GetValue(SleepProvider) ?? test.Provider,
            Endpoint = parse.GetValue(SleepEndpoint) ?? test.Endpoint,
            Model = parse.GetValue(SleepModel) ?? test.Model,
            ApiKeyEnvironmentVariable = parse.GetValue(SleepApiKeyEnv) ?? test.ApiKeyEnvironmentVariable,
        };
        return (ChatClientFactory.Create(sleep), Describe(sleep), ChatClientFactory.Create(test), Describe(test));
    }

    private static string Describe(ModelEndpointOptions options) => $"{options.Provider}:{options.Model}" + (options.Endpoint is null ? string.Empty : $"@{options.Endpoint}");
}
