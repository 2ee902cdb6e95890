using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SleepTime.Providers;

namespace SleepTime.Server;

/// <summary>
/// The two phase models, resolved from the keyed <see cref="IChatClient"/> services "sleep" and "test". A role with
/// no model configured falls back to the registered <see cref="FallbackModel"/> (the embedded demo model under
/// <c>sleeptime serve</c>); with none, it resolves to null with a reason, so the server still starts: sleep runs
/// then fail saying why and queries answer 503.
/// </summary>
public sealed class ModelClients
{
    private readonly Lazy<(SleepPhase? Phase, string? Problem, bool Fallback)> sleep;
    private readonly Lazy<(TestPhase? Phase, string? Problem, bool Fallback)> test;
    private readonly FallbackModel? fallback;
    private readonly Lazy<IChatClient>? fallbackClient;

    public ModelClients(IServiceProvider services)
    {
        fallback = services.GetService<FallbackModel>();
        fallbackClient = fallback is null ? null : new(() => fallback.CreateClient(services), LazyThreadSafetyMode.ExecutionAndPublication);
        sleep = new(() => Resolve(services, ModelRoles.Sleep, (client, prompts) => new SleepPhase(client, prompts: prompts)));
        test = new(() => Resolve(services, ModelRoles.Test, (client, prompts) => new TestPhase(client, prompts: prompts)));
    }

    public SleepPhase? Sleep => sleep.Value.Phase;

    public string? SleepProblem => sleep.Value.Problem;

    public TestPhase? Test => test.Value.Phase;

    public string? TestProblem => test.Value.Problem;

    /// <summary>Whether the fallback model runs the sleep phase (no sleep endpoint is configured).</summary>
    public bool SleepOnFallback => sleep.Value.Fallback;

    /// <summary>Whether the fallback model answers queries (no test endpoint is configured).</summary>
    public bool TestOnFallback => test.Value.Fallback;

    /// <summary>What to tell the operator when the fallback model runs a phase; null when every phase has its configured model.</summary>
    public string? FallbackNotice => sleep.Value.Fallback || test.Value.Fallback ? fallback!.Notice : null;

    /// <summary>The options a sleep runs with: the context's own, or what the fallback model needs when it runs the sleep.</summary>
    public SleepOptions SleepOptionsFor(SleepOptions requested) =>
        sleep.Value.Fallback ? fallback!.SleepOptions(requested) : requested;

    private (T? Phase, string? Problem, bool Fallback) Resolve<T>(IServiceProvider services, string role, Func<IChatClient, PromptLibrary?, T> create)
        where T : class
    {
        try
        {
            if (services.GetKeyedService<IChatClient>(role) is { } client)
            {
                return (create(client, null), null, false);
            }

            return fallbackClient is null
                ? (null, $"No {role} model endpoint is configured (set SleepTime:Models:{Capitalize(role)}:Model and its endpoint).", false)
                : (create(fallbackClient.Value, fallback!.Prompts), null, true);
        }
        catch (OptionsValidationException) when (fallbackClient is not null && NothingConfigured(services))
        {
            return (create(fallbackClient.Value, fallback!.Prompts), null, true);
        }
        catch (OptionsValidationException ex)
        {
            return (null, $"No usable {role} model endpoint is configured: {string.Join(" ", ex.Failures)}", false);
        }
    }

    /// <summary>No SleepTime:Models endpoint at all: a configured one with mistakes is reported, never replaced.</summary>
    private static bool NothingConfigured(IServiceProvider services) =>
        services.GetService<IConfiguration>() is not { } configuration || SleepTimeModelsOptions.FromConfiguration(configuration).IsEmpty;

    private static string Capitalize(string role) => char.ToUpperInvariant(role[0]) + role[1..];
}
