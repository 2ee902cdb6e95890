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
public sealed class SleepTimeModelResolver(IServiceProvider services, ILoggerFactory loggerFactory, TimeProvider time)
{
    public IChatClient? Primary => Keyed(ModelRoles.Test);

    public IChatClient? SleepTime(SleepTimeModelSettings? own)
    {
        if (own is null)
        {
            return Keyed(ModelRoles.Sleep);
        }

        return ChatClientFactory.Create(ToEndpoint(own), loggerFactory, timeProvider: time);
    }

    /// <exception cref="SleepTimeValidationException">The settings name no usable endpoint.</exception>
    public static ModelEndpointOptions ToEndpoint(SleepTimeModelSettings settings)
    {
        var provider = ProviderKind.OpenAI;
        if (settings.Provider is { } name && !Enum.TryParse(name, ignoreCase: true, out provider))
        {
            throw new SleepTimeValidationException("model.provider", $"Unknown provider '{name}'; use one of {string.Join(", ", Enum.GetNames<ProviderKind>())}.");
        }

        var endpoint = new ModelEndpointOptions
        {
            Provider = provider,
            Model = settings.Model,
            Endpoint = settings.Endpoint,
            ApiKeyEnvironmentVariable = settings.ApiKeyEnvironmentVariable,
        };
        var errors = endpoint.GetValidationErrors("model");
        if (errors.Count > 0)
        {
            throw new SleepTimeValidationException("model", string.Join(" ", errors));
        }

        return endpoint;
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
}
