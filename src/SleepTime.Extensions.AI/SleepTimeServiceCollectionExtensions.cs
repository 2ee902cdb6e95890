using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace SleepTime.Extensions.AI;

/// <summary>The pipelines of the two phases, for adding middleware (caching, rate limits, your own) the Microsoft.Extensions.AI way.</summary>
/// <param name="Sleep">The sleep phase's keyed client (<see cref="SleepTimePhases.Sleep"/>).</param>
/// <param name="Test">The test phase's keyed client (<see cref="SleepTimePhases.Test"/>).</param>
public sealed record SleepTimeChatClientBuilders(ChatClientBuilder Sleep, ChatClientBuilder Test);

/// <summary>Telemetry of the phase clients.</summary>
public sealed record SleepTimeTelemetryOptions
{
    /// <summary>Wrap every model call with <c>UseOpenTelemetry()</c> (GenAI semantic conventions: a span per call with its token usage).</summary>
    public bool OpenTelemetry { get; init; } = true;

    /// <summary>Wrap every model call with <c>UseLogging()</c> (through the registered <see cref="ILoggerFactory"/>).</summary>
    public bool Logging { get; init; } = true;

    /// <summary>Record prompts and replies on spans (off: they may hold personal data).</summary>
    public bool EnableSensitiveData { get; init; }

    public string SourceName { get; init; } = SleepTimePhases.TelemetrySourceName;
}

public static class SleepTimeServiceCollectionExtensions
{
    /// <summary>
    /// Registers a keyed <see cref="IChatClient"/> per phase (<see cref="SleepTimePhases.Sleep"/>,
    /// <see cref="SleepTimePhases.Test"/>; one model serves both when <paramref name="testModel"/> is null), each model
    /// call wrapped in OpenTelemetry and logging by default, and a <see cref="SleepTimeMemory"/> that sleeps with the
    /// sleep client. Returns both builders so callers add their own middleware around them.
    /// </summary>
    public static SleepTimeChatClientBuilders AddSleepTimeChatClients(
        this IServiceCollection services,
        Func<IServiceProvider, IChatClient> sleepModel,
        Func<IServiceProvider, IChatClient>? testModel = null,
        SleepTimeTelemetryOptions? telemetry = null,
        Func<IServiceProvider, SleepTimeMemoryOptions>? memory = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(sleepModel);
        telemetry ??= new SleepTimeTelemetryOptions();
        var sleep = services.AddKeyedChatClient(SleepTimePhases.Sleep, sp => Instrument(sleepModel(sp), SleepTimePhases.Sleep, telemetry, sp));
        var test = services.AddKeyedChatClient(SleepTimePhases.Test, sp => Instrument((testModel ?? sleepModel)(sp), SleepTimePhases.Test, telemetry, sp));
        services.TryAddSingleton(sp => new SleepTimeMemory(
            sp.GetRequiredKeyedService<IChatClient>(SleepTimePhases.Sleep),
            memory?.Invoke(sp),
            sp.GetService<ILogger<SleepTimeMemory>>()));
        return new SleepTimeChatClientBuilders(sleep, test);
    }

    /// <summary>The model wrapped so that every call is one span and one log scope, tagged with its phase.</summary>
    private static IChatClient Instrument(IChatClient model, string phase, SleepTimeTelemetryOptions telemetry, IServiceProvider services) =>
        new ChatClientBuilder(model).UseSleepTimeTelemetry(phase, telemetry, services.GetService<ILoggerFactory>()).Build(services);

    /// <summary>
    /// Wraps every model call of a phase as <see cref="SleepTimeTelemetryOptions"/> says (both on by default):
    /// <c>UseOpenTelemetry()</c> on <see cref="SleepTimeTelemetryOptions.SourceName"/> (GenAI semantic conventions: a
    /// span per call with its token usage, tagged <see cref="SleepTimePhases.PhaseTag"/>) and <c>UseLogging()</c>.
    /// </summary>
    public static ChatClientBuilder UseSleepTimeTelemetry(this ChatClientBuilder builder, string phase, SleepTimeTelemetryOptions? telemetry = null, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        telemetry ??= new SleepTimeTelemetryOptions();
        if (telemetry.OpenTelemetry)
        {
            builder.UseOpenTelemetry(loggers, telemetry.SourceName, otel => otel.EnableSensitiveData = telemetry.EnableSensitiveData);
            builder.Use(inner => new PhaseTaggingChatClient(inner, phase));
        }

        if (telemetry.Logging && loggers is not null)
        {
            builder.UseLogging(loggers);
        }

        return builder;
    }
}
