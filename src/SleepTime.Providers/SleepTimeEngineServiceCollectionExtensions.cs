using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace SleepTime.Providers;

public static class SleepTimeEngineServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="SleepTimeEngine"/> whose sleep and test models come from configuration
    /// (<c>SleepTime:Models:Sleep</c> and <c>SleepTime:Models:Test</c>, see <see cref="ServiceCollectionExtensions.AddSleepTimeModels"/>).
    /// Stores, a token counter or a <see cref="TimeProvider"/> registered in the container are used; anything missing
    /// gets the engine's in-process default.
    /// </summary>
    public static IServiceCollection AddSleepTime(this IServiceCollection services, IConfiguration configuration, Func<SleepTimeEngineOptions, SleepTimeEngineOptions>? configure = null)
    {
        services.AddSleepTimeModels(configuration);
        services.AddSingleton(sp =>
        {
            var options = new SleepTimeEngineOptions
            {
                Contexts = sp.GetService<IContextStore>(),
                LearnedContexts = sp.GetService<ILearnedContextStore>(),
                TokenCounter = sp.GetService<ITokenCounter>(),
                TimeProvider = sp.GetService<TimeProvider>(),
            };
            return new SleepTimeEngine(
                sp.GetRequiredKeyedService<IChatClient>(ModelRoles.Sleep),
                sp.GetRequiredKeyedService<IChatClient>(ModelRoles.Test),
                configure?.Invoke(options) ?? options);
        });
        return services;
    }
}
