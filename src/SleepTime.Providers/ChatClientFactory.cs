using System.ClientModel;
using System.ClientModel.Primitives;
using Anthropic;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OllamaSharp;
using OpenAI;
using SleepTime.Providers.Http;

namespace SleepTime.Providers;

/// <summary>
/// Builds an <see cref="IChatClient"/> for a <see cref="ModelEndpointOptions"/> through the provider's official SDK,
/// with retries and per-attempt timeouts at the HTTP layer and provider failures reported as
/// <see cref="ModelProviderException"/>.
/// </summary>
public static class ChatClientFactory
{
    /// <summary>The API key sent to OpenAI-compatible servers that need none (the SDK insists on one).</summary>
    internal const string NoApiKey = "no-key";

    /// <summary>Creates the chat client of one endpoint.</summary>
    /// <param name="options">The endpoint; validated first (see <see cref="ModelEndpointOptions.Validate"/>).</param>
    /// <param name="loggerFactory">Receives a warning per retry; default: no logging.</param>
    /// <param name="transport">
    /// The innermost HTTP handler, for tests; default: a new <see cref="SocketsHttpHandler"/>. The retry handler sits
    /// on top of it, so retries still happen.
    /// </param>
    /// <param name="timeProvider">The clock that retry delays are waited on; default: <see cref="TimeProvider.System"/>.
    /// Per-attempt timeouts always use real time.</param>
    /// <param name="localModels">
    /// Runs <see cref="ProviderKind.Local"/> models (from the <c>SleepTime.Providers.Local</c> library, e.g.
    /// <c>LocalModels.Shared</c>); required for that provider, unused by the others.
    /// </param>
    /// <returns>A client whose SDK-level retries are off; one <see cref="HttpClient"/> per client.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are not usable.</exception>
    /// <exception cref="InvalidOperationException">A local model was asked for without <paramref name="localModels"/>.</exception>
    public static IChatClient Create(
        ModelEndpointOptions options,
        ILoggerFactory? loggerFactory = null,
        HttpMessageHandler? transport = null,
        TimeProvider? timeProvider = null,
        ILocalChatClientFactory? localModels = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        options = options.Clone();
        timeProvider ??= TimeProvider.System;
        loggerFactory ??= NullLoggerFactory.Instance;
        if (options.Provider == ProviderKind.Local)
        {
            // No HTTP, so no retries or provider-error translation: the model runs in this process.
            return (localModels ?? throw new InvalidOperationException(
                    "Provider Local runs GGUF models in this process and needs the SleepTime.Providers.Local library: reference it and " +
                    "call services.AddSleepTimeLocalModels() (with AddSleepTimeModels), or pass LocalModels.Shared to ChatClientFactory.Create."))
                .CreateChatClient(options, loggerFactory);
        }

        var provider = options.Provider.ToString();

        var retrying = new RetryingHttpHandler(
            options,
            provider,
            timeProvider,
            loggerFactory.CreateLogger("SleepTime.Providers.Retry"),
            transport ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        var httpClient = new HttpClient(retrying, disposeHandler: true)
        {
            // Attempts are timed by the retry handler; the client as a whole waits as long as the retries need.
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };

        var inner = options.Provider switch
        {
            ProviderKind.OpenAI or ProviderKind.OpenAICompatible => CreateOpenAI(options, httpClient),
            ProviderKind.Anthropic => CreateAnthropic(options, httpClient),
            ProviderKind.Ollama => CreateOllama(options, httpClient),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown provider."),
        };
        return new ProviderErrorChatClient(inner, provider, timeProvider, ownedResource: httpClient);
    }

    /// <summary>
    /// The longest a whole call may take in real time: every attempt timing out plus every delay at its cap, plus a
    /// minute. Given to the SDKs as their own overall timeout so that it never cuts our retries short.
    /// </summary>
    internal static TimeSpan OverallBudget(ModelEndpointOptions options)
    {
        var ticks = (options.Timeout.Ticks * (options.MaxRetries + 1L)) + (options.RetryMaxDelay.Ticks * options.MaxRetries) + TimeSpan.TicksPerMinute;
        var cap = TimeSpan.FromDays(1);
        return ticks > cap.Ticks || ticks < 0 ? cap : TimeSpan.FromTicks(ticks);
    }

    private static IChatClient CreateOpenAI(ModelEndpointOptions options, HttpClient httpClient)
    {
        var clientOptions = new OpenAIClientOptions
        {
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            Transport = new HttpClientPipelineTransport(httpClient),
            NetworkTimeout = OverallBudget(options),
        };
        if (options.Endpoint is not null)
        {
            clientOptions.Endpoint = options.Endpoint;
        }

        var key = options.ResolveApiKey() ?? NoApiKey;
        return new OpenAIClient(new ApiKeyCredential(key), clientOptions)
            .GetChatClient(options.Model)
            .AsIChatClient();
    }

    private static IChatClient CreateAnthropic(ModelEndpointOptions options, HttpClient httpClient)
    {
        var client = options.Endpoint is null
            ? new AnthropicClient
            {
                ApiKey = options.ResolveApiKey(),
                HttpClient = httpClient,
                MaxRetries = 0,
                Timeout = OverallBudget(options),
            }
            : new AnthropicClient
            {
                ApiKey = options.ResolveApiKey(),
                BaseUrl = options.Endpoint.ToString().TrimEnd('/'),
                HttpClient = httpClient,
                MaxRetries = 0,
                Timeout = OverallBudget(options),
            };

        return client.AsIChatClient(options.Model);
    }

    private static IChatClient CreateOllama(ModelEndpointOptions options, HttpClient httpClient)
    {
        var endpoint = options.Endpoint!.ToString();
        httpClient.BaseAddress = new Uri(endpoint.EndsWith('/') ? endpoint : endpoint + "/");
        return new OllamaApiClient(httpClient, options.Model!);
    }
}
