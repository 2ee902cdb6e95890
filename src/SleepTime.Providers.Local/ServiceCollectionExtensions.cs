using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

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
}
