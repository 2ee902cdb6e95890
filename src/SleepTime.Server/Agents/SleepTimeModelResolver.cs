using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using SleepTime.Providers;
using SleepTime.Storage;

namespace SleepTime.Server;

/// <summary>
/// The models of the agents API: primary agents use the server's "test" model; a sleep-time agent uses its own
/// endpoint when it has one, else the server's "sleep" model. A missing model resolves to null (runs then fail
/// visibly with "no model registered"; turns answer 503).
/// </summary>
/// <remarks>
/// Own endpoints are cached: one <see cref="IChatClient"/> (one <see cref="HttpClient"/>) per distinct provider,
/// model, endpoint and key variable, shared by every sleep-time agent (of any tenant) with those settings, owned by
/// this resolver and disposed with it. The server's keyed "sleep" and "test" clients belong to DI and are never
/// disposed here. An API key variable must be listed in <see cref="AgentServerOptions.AllowedApiKeyVariables"/>.
/// </remarks>
public sealed class SleepTimeModelResolver : IAsyncDisposable, IDisposable
{
    private readonly IServiceProvider services;
    private readonly IOptions<AgentServerOptions> options;
    private readonly ILoggerFactory loggerFactory;
    private readonly TimeProvider time;
    private readonly Func<ModelEndpointOptions, IChatClient> create;
    private readonly Dictionary<EndpointKey, IChatClient> clients = [];
    private readonly Lock gate = new();
    private bool disposed;

    public SleepTimeModelResolver(IServiceProvider services, IOptions<AgentServerOptions> options, ILoggerFactory loggerFactory, TimeProvider time)
        : this(services, options, loggerFactory, time, create: null)
    {
    }

    /// <param name="create">Creates the client of an own endpoint (for tests); default: <see cref="ChatClientFactory.Create"/>.</param>
    internal SleepTimeModelResolver(IServiceProvider services, IOptions<AgentServerOptions> options, ILoggerFactory loggerFactory, TimeProvider time, Func<ModelEndpointOptions, IChatClient>? create)
    {
        this.services = services;
        this.options = options;
        this.loggerFactory = loggerFactory;
        this.time = time;
        this.create = create ?? (endpoint => ChatClientFactory.Create(endpoint, loggerFactory, timeProvider: time));
    }

    public IChatClient? Primary => Keyed(ModelRoles.Test);

    /// <summary>How many own-endpoint clients are cached (for tests).</summary>
    internal int CachedClients
    {
        get
        {
            lock (gate)
            {
                return clients.Count;
            }
        }
    }

    /// <summary>The sleep-time agent's model: the cached client of its own endpoint, else the server's "sleep" model.</summary>
    /// <exception cref="SleepTimeValidationException">The settings name no usable endpoint, or a key variable that is not allowed.</exception>
    /// <exception cref="OptionsValidationException">The endpoint needs an API key and the allowed variable is not set.</exception>
    public IChatClient? SleepTime(SleepTimeModelSettings? own)
    {
        if (own is null)
        {
            return Keyed(ModelRoles.Sleep);
        }

        var endpoint = ToEndpoint(own);
        var key = new EndpointKey(endpoint.Provider, endpoint.Model!, endpoint.Endpoint?.AbsoluteUri, endpoint.ApiKeyEnvironmentVariable);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (!clients.TryGetValue(key, out var client))
            {
                client = create(endpoint);
                clients.Add(key, client);
            }

            return client;
        }
    }

    /// <summary>
    /// Checks a sleep-time agent's own model settings and turns them into an endpoint. The messages never say whether
    /// an environment variable is set: a variable outside <see cref="AgentServerOptions.AllowedApiKeyVariables"/> is
    /// refused by name alone, and an allowed one that is unset only shows when the agent's model is registered.
    /// </summary>
    /// <exception cref="SleepTimeValidationException">The settings name no usable endpoint, or a key variable that is not allowed.</exception>
    public ModelEndpointOptions ToEndpoint(SleepTimeModelSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var provider = ProviderKind.OpenAI;
        if (settings.Provider is { } name && !Enum.TryParse(name, ignoreCase: true, out provider))
        {
            throw new SleepTimeValidationException("model.provider", $"Unknown provider '{name}'; use one of {string.Join(", ", Enum.GetNames<ProviderKind>())}.");
        }

        var variable = string.IsNullOrWhiteSpace(settings.ApiKeyEnvironmentVariable) ? null : settings.ApiKeyEnvironmentVariable;
        if (variable is not null && !(options.Value.AllowedApiKeyVariables ?? []).Contains(variable, StringComparer.Ordinal))
        {
            throw new SleepTimeValidationException(
                "model.api_key_environment_variable",
                $"api_key_environment_variable '{variable}' is not allowed: the server operator lists the variables sleep-time agents may use in {AgentServerOptions.Section}:AllowedApiKeyVariables.");
        }

        var endpoint = new ModelEndpointOptions
        {
            Provider = provider,
            Model = settings.Model,
            Endpoint = settings.Endpoint,
            ApiKeyEnvironmentVariable = variable,
        };

        // Validate as if the variable were set, so that the answer does not tell whether it is.
        var check = endpoint.Clone();
        if (variable is not null)
        {
            check.ApiKey = "(from the environment)";
        }

        var errors = check.GetValidationErrors("model");
        if (errors.Count > 0)
        {
            throw new SleepTimeValidationException("model", string.Join(" ", errors));
        }

        return endpoint;
    }

    public void Dispose()
    {
        List<IChatClient> owned;
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            owned = [.. clients.Values];
            clients.Clear();
        }

        foreach (var client in owned)
        {
            try
            {
                client.Dispose();
            }
            catch (Exception ex)
            {
                loggerFactory.CreateLogger<SleepTimeModelResolver>().LogWarning(ex, "Disposing a sleep-time agent's model client failed.");
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private IChatClient? Keyed(string role)
    {
        try
        {
            return services.GetKeyedService<IChatClient>(role);
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }

    private readonly record struct EndpointKey(ProviderKind Provider, string Model, string? Endpoint, string? ApiKeyEnvironmentVariable);
}
