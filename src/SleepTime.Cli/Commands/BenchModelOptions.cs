using System.CommandLine;
using Microsoft.Extensions.AI;
using SleepTime.Bench.Models;
using SleepTime.Providers;
using SleepTime.Providers.Local;
using SleepTime.Providers.Local.Embedded;

namespace SleepTime.Cli.Commands;

/// <summary>
/// The model flags of <c>bench run</c>: one endpoint for the test phase and, optionally, another for the sleep phase
/// (a cheap fast test model beside a stronger sleep model), a GGUF file in-process (<c>--provider local --model
/// file.gguf</c>), or <c>--fake</c> for an instant offline dry run. With none of these, the embedded sleeptime-tiny
/// runs both phases, announced once.
/// </summary>
internal sealed class BenchModelOptions
{
    public Option<bool> Fake { get; } = new("--fake") { Description = "Use the built-in instant fake model for both phases (dry run, no network)." };

    public Option<ProviderKind> Provider { get; } = new("--provider") { Description = "Provider of the test model.", DefaultValueFactory = _ => ProviderKind.OpenAICompatible };

    public Option<Uri?> Endpoint { get; } = UriOption.Create("--endpoint", "Base URL of the test model's server, e.g. http://localhost:8000/v1.");

    public Option<string?> Model { get; } = new("--model") { Description = "Test model id; with --provider local, the GGUF file. Default with no endpoint: the embedded sleeptime-tiny." };

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

    /// <summary>
    /// Whether both phases run sleeptime-tiny (the embedded default, or its file named with <c>--provider local</c>),
    /// which needs the compact prompts and plain-text sleep it was trained on.
    /// </summary>
    public bool RunsEmbeddedModel(ParseResult parse) =>
        !parse.GetValue(Fake) && (UsesEmbeddedDefault(parse) || (
            parse.GetValue(Provider) == ProviderKind.Local && EmbeddedModel.IsEmbedded(parse.GetValue(Model))
            && (parse.GetValue(SleepProvider) ?? ProviderKind.Local) == ProviderKind.Local && EmbeddedModel.IsEmbedded(parse.GetValue(SleepModel) ?? parse.GetValue(Model))));

    /// <summary>The sleep and test clients, and how each is named in the saved configuration (never with its key).</summary>
    /// <param name="parse">The command line.</param>
    /// <param name="notices">Where the embedded default says, once, that it stands in for an endpoint.</param>
    public (IChatClient Sleep, string SleepName, IChatClient Test, string TestName) Create(ParseResult parse, TextWriter? notices = null)
    {
        if (parse.GetValue(Fake))
        {
            var fake = new InstantFakeModel();
            return (fake, InstantFakeModel.ModelId, fake, InstantFakeModel.ModelId);
        }

        if (UsesEmbeddedDefault(parse))
        {
            var embedded = EmbeddedModel.FindFile() ?? throw new SleepTimeValidationException("model",
                $"Name a model with --model (and --endpoint for a local server, or --provider local for a GGUF file), or use --fake for a dry run; the embedded default {EmbeddedModel.RelativePath} is not shipped here.");
            (notices ?? Console.Error).WriteLine(EmbeddedModel.Notice);
            var endpoint = EmbeddedModel.Endpoint(embedded);
            var client = ChatClientFactory.Create(endpoint, localModels: LocalModels.Shared);
            return (client, Describe(endpoint), client, Describe(endpoint));
        }

        var test = EndpointOf(parse.GetValue(Provider), parse.GetValue(Endpoint), parse.GetValue(Model), parse.GetValue(ApiKeyEnv));
        if (string.IsNullOrWhiteSpace(test.Model) && string.IsNullOrWhiteSpace(test.ModelPath))
        {
            throw new SleepTimeValidationException("model", "Name a model with --model (and --endpoint for a local server, or --provider local for a GGUF file), or use --fake for a dry run.");
        }

        var sleepProvider = parse.GetValue(SleepProvider) ?? test.Provider;
        var sleep = EndpointOf(
            sleepProvider,
            parse.GetValue(SleepEndpoint) ?? test.Endpoint,
            parse.GetValue(SleepModel) ?? parse.GetValue(Model),
            parse.GetValue(SleepApiKeyEnv) ?? test.ApiKeyEnvironmentVariable);
        return (ChatClientFactory.Create(sleep, localModels: LocalModels.Shared), Describe(sleep), ChatClientFactory.Create(test, localModels: LocalModels.Shared), Describe(test));
    }

    /// <summary>No model named and no endpoint: the embedded model runs both phases.</summary>
    private bool UsesEmbeddedDefault(ParseResult parse) =>
        !parse.GetValue(Fake)
        && parse.GetValue(Model) is null && parse.GetValue(SleepModel) is null
        && parse.GetValue(Endpoint) is null && parse.GetValue(SleepEndpoint) is null
        && parse.GetResult(Provider) is null or { Implicit: true } && parse.GetResult(SleepProvider) is null or { Implicit: true };

    private static ModelEndpointOptions EndpointOf(ProviderKind provider, Uri? endpoint, string? model, string? apiKeyEnv) => provider switch
    {
        ProviderKind.Local when EmbeddedModel.IsEmbedded(model) => EmbeddedModel.Endpoint(model!),
        ProviderKind.Local => new ModelEndpointOptions { Provider = provider, ModelPath = model, Threads = 1 },
        _ => new ModelEndpointOptions { Provider = provider, Endpoint = endpoint, Model = model, ApiKeyEnvironmentVariable = apiKeyEnv },
    };

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
        return (ChatClientFactory.Create(judge, localModels: LocalModels.Shared), Describe(judge));
    }

    private static string Describe(ModelEndpointOptions options) => options.Provider == ProviderKind.Local
        ? $"{options.Provider}:{options.ModelName}" + (options.Calculator ? "+calculator" : string.Empty) + (options.Lookup ? "+lookup" : string.Empty)
        : $"{options.Provider}:{options.Model}" + (options.Endpoint is null ? string.Empty : $"@{options.Endpoint}");
}
