using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SleepTime.Providers;

/// <summary>Registers the models of the two phases.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="SleepTimeModelsOptions"/> from the <c>SleepTime:Models</c> section of
    /// <paramref name="configuration"/> and registers one keyed <see cref="IChatClient"/> singleton per role:
    /// <see cref="ModelRoles.Sleep"/> and <see cref="ModelRoles.Test"/>, built by <see cref="ChatClientFactory"/>.
    /// </summary>
    /// <remarks>
    /// Uses the container's <see cref="ILoggerFactory"/> and <see cref="TimeProvider"/> when registered, and its
    /// <see cref="ILocalChatClientFactory"/> for <see cref="ProviderKind.Local"/> endpoints (registered by
    /// <c>AddSleepTimeLocalModels</c> from <c>SleepTime.Providers.Local</c>). Invalid
    /// configuration is reported with an <see cref="OptionsValidationException"/> naming every problem when a client
    /// (or the options) is first resolved.
    /// </remarks>
    public static IServiceCollection AddSleepTimeModels(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<SleepTimeModelsOptions>()
            .Configure(options => SleepTimeModelsOptions.Bind(configuration, options));
        services.AddSingleton<IValidateOptions<SleepTimeModelsOptions>, SleepTimeModelsOptionsValidator>();
        services.AddKeyedSingleton<IChatClient>(ModelRoles.Sleep, static (sp, _) => CreateClient(sp, ModelRoles.Sleep));
        services.AddKeyedSingleton<IChatClient>(ModelRoles.Test, static (sp, _) => CreateClient(sp, ModelRoles.Test));
        return services;
    }

    private static IChatClient CreateClient(IServiceProvider services, string role)
    {
        var options = services.GetRequiredService<IOptions<SleepTimeModelsOptions>>().Value;
        return ChatClientFactory.Create(
            options.Get(role),
            services.GetService<ILoggerFactory>(),
            transport: null,
            services.GetService<TimeProvider>(),
            services.GetService<ILocalChatClientFactory>());
    }

    private sealed class SleepTimeModelsOptionsValidator : IValidateOptions<SleepTimeModelsOptions>
    {
        public ValidateOptionsResult Validate(string? name, SleepTimeModelsOptions options)
        {
            var errors = options.GetValidationErrors();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
