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

    public Option<string?> Judge { get; } = new("--judge") { Description = "Judge model id for the memory benchmarks (LongMemEval, LoCoMo): grades each free-text answer yes or no. Without it they are scored by token F1 and reference containment." };

    public Option<ProviderKind?> JudgeProvider { get; } = new("--judge-provider") { Description = "Provider of the judge model (default: --provider)." };

    public Option<Uri?> JudgeEndpoint { get; } = UriOption.Create("--judge-endpoint", "Base URL of the judge model's server (default: --endpoint).");

    public Option<string?> JudgeApiKeyEnv { get; } = new("--judge-api-key-env") { Description = "Environment variable holding the judge model's API key (default: --api-key-env)." };

    public Option<string?> JudgePrompt { get; } = new("--judge-prompt") { Description = "File with the judge prompt to use instead of the project's own (e.g. a benchmark's official one); placeholders {{question}}, {{expected}}, {{response}}, {{category}}. Recorded by content hash." };

    public void AddTo(Command command, bool withJudge = false)
    {
        if (withJudge)
        {
            foreach (var option in new Option[] { Judge, JudgeProvider, JudgeEndpoint, JudgeApiKeyEnv, JudgePrompt })
            {
                command.Options.Add(option);
            }
        }

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

    /// <summary>The judge client and its name, or null when no --judge was given.</summary>
    public (IChatClient Model, string Name)? CreateJudge(ParseResult parse)
    {
        if (parse.GetValue(Judge) is not { Length: > 0 } model)
        {
            return parse.GetValue(JudgePrompt) is null ? null : throw new SleepTimeValidationException("judge-prompt", "--judge-prompt needs a judge model: add --judge MODEL.");
        }

        if (parse.GetValue(Fake))
        {
            throw new SleepTimeValidationException("judge", "The instant fake model cannot judge answers; leave out --judge with --fake (answers are then scored by token F1 and reference containment).");
        }

        var judge = new ModelEndpointOptions
        {
            Provider = parse.GetValue(JudgeProvider) ?? parse.GetValue(Provider),
            Endpoint = parse.GetValue(JudgeEndpoint) ?? parse.GetValue(Endpoint),
            Model = model,
            ApiKeyEnvironmentVariable = parse.GetValue(JudgeApiKeyEnv) ?? parse.GetValue(ApiKeyEnv),
        };
        return (ChatClientFactory.Create(judge), Describe(judge));
    }

    private static string Describe(ModelEndpointOptions options) => $"{options.Provider}:{options.Model}" + (options.Endpoint is null ? string.Empty : $"@{options.Endpoint}");
}
