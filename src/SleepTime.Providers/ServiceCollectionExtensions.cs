using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;
using SleepTime.Extensions.AI;

namespace SleepTime.Providers;

/// <summary>Registers the models of the two phases.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="SleepTimeModelsOptions"/> from the <c>SleepTime:Models</c> section of
    /// <paramref name="configuration"/> and registers one keyed <see cref="IChatClient"/> singleton per role:
    /// <see cref="ModelRoles.Sleep"/> and <see cref="ModelRoles.Test"/>, built by <see cref="ChatClientFactory"/> and
    /// wrapped in <c>UseOpenTelemetry()</c> (GenAI semantic conventions: a span per model call with its tokens, tagged
    /// with its phase) and <c>UseLogging()</c> unless <paramref name="telemetry"/> turns them off.
    /// <see cref="AddSleepTimeChatClients"/> does the same and returns the two pipelines for middleware.
    /// </summary>
    /// <remarks>
    /// The spans' source (<see cref="SleepTimeTelemetryOptions.SourceName"/>) is added to any OpenTelemetry tracer the
    /// app builds from the container (<c>services.AddOpenTelemetry().WithTracing(...)</c>). Uses the container's
    /// <see cref="ILoggerFactory"/> and <see cref="TimeProvider"/> when registered, and its
    /// <see cref="ILocalChatClientFactory"/> for <see cref="ProviderKind.Local"/> endpoints (registered by
    /// <c>AddSleepTimeLocalModels</c> from <c>SleepTime.Providers.Local</c>). Invalid
    /// configuration is reported with an <see cref="OptionsValidationException"/> naming every problem when a client
    /// (or the options) is first resolved.
    /// </remarks>
    public static IServiceCollection AddSleepTimeModels(this IServiceCollection services, IConfiguration configuration, SleepTimeTelemetryOptions? telemetry = null)
    {
        telemetry = AddModelOptions(services, configuration, telemetry);
        Register(services, ModelRoles.Sleep, telemetry);
        Register(services, ModelRoles.Test, telemetry);
        return services;
    }

    /// <summary>
    /// The models of both phases from configuration, as <see cref="AddSleepTimeModels"/> registers them, returned as
    /// their <see cref="ChatClientBuilder"/>s the Microsoft.Extensions.AI way: middleware added to a builder wraps that
    /// phase's instrumented model. Also registers a <see cref="SleepTimeMemory"/> that sleeps with the sleep model (for
    /// <c>UseSleepTime()</c> and <c>SleepTimeContextProvider</c>), as the code-first <c>AddSleepTimeChatClients</c> does.
    /// </summary>
    public static SleepTimeChatClientBuilders AddSleepTimeChatClients(
        this IServiceCollection services,
        IConfiguration configuration,
        SleepTimeTelemetryOptions? telemetry = null,
        Func<IServiceProvider, SleepTimeMemoryOptions>? memory = null)
    {
        telemetry = AddModelOptions(services, configuration, telemetry);
        return services.AddSleepTimeChatClients(sp => CreateClient(sp, ModelRoles.Sleep), sp => CreateClient(sp, ModelRoles.Test), telemetry, memory);
    }

    private static SleepTimeTelemetryOptions AddModelOptions(IServiceCollection services, IConfiguration configuration, SleepTimeTelemetryOptions? telemetry)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        telemetry ??= new SleepTimeTelemetryOptions();
        services.AddOptions<SleepTimeModelsOptions>()
            .Configure(options => SleepTimeModelsOptions.Bind(configuration, options));
        services.AddSingleton<IValidateOptions<SleepTimeModelsOptions>, SleepTimeModelsOptionsValidator>();
        if (telemetry.OpenTelemetry)
        {
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(telemetry.SourceName));
        }

        return telemetry;
    }

    private static void Register(IServiceCollection services, string role, SleepTimeTelemetryOptions telemetry) =>
        services.AddKeyedChatClient(role, sp => new ChatClientBuilder(CreateClient(sp, role))
            .UseSleepTimeTelemetry(role, telemetry, sp.GetService<ILoggerFactory>())
            .Build(sp));

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
