using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SleepTime.Providers.Local.Embedded;

namespace SleepTime.Providers.Local;

/// <summary>Registers local models with dependency injection.</summary>
public static class LocalModelsServiceCollectionExtensions
{
    /// <summary>
    /// Lets <c>AddSleepTimeModels</c> create <see cref="ProviderKind.Local"/> endpoints: registers
    /// <see cref="LocalModels.Shared"/> as the <see cref="ILocalChatClientFactory"/> (and as <see cref="LocalModels"/>),
    /// so each model file is loaded once per process however many containers or roles use it.
    /// </summary>
    public static IServiceCollection AddSleepTimeLocalModels(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(LocalModels.Shared);
        services.TryAddSingleton<ILocalChatClientFactory>(LocalModels.Shared);
        return services;
    }

    /// <summary>
    /// Registers <see cref="AddSleepTimeLocalModels"/> and, when the shipped sleeptime-tiny file is found,
    /// <see cref="EmbeddedModelDefaults"/> (its endpoint for both phases, the compact prompts and plain-text sleep) for
    /// a host to use where no endpoint is configured. Nothing is registered for it when the file is absent.
    /// </summary>
    public static IServiceCollection AddSleepTimeEmbeddedModel(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSleepTimeLocalModels();
        if (EmbeddedModel.FindFile() is { } file)
        {
            services.TryAddSingleton(EmbeddedModel.Defaults(file));
        }

        return services;
    }
}
