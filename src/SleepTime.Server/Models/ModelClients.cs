using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using SleepTime.Providers;

namespace SleepTime.Server;

/// <summary>
/// The two phase models, resolved from the keyed <see cref="IChatClient"/> services "sleep" and "test". A role
/// with no model configured resolves to null with a reason, so the server still starts: sleep runs then fail
/// saying why and queries answer 503.
/// </summary>
public sealed class ModelClients
{
    private readonly Lazy<(SleepPhase? Phase, string? Problem)> sleep;
    private readonly Lazy<(TestPhase? Phase, string? Problem)> test;

    public ModelClients(IServiceProvider services)
    {
        sleep = new(() => Resolve(services, ModelRoles.Sleep, client => new SleepPhase(client)));
        test = new(() => Resolve(services, ModelRoles.Test, client => new TestPhase(client)));
    }

    public SleepPhase? Sleep => sleep.Value.Phase;

    public string? SleepProblem => sleep.Value.Problem;

    public TestPhase? Test => test.Value.Phase;

    public string? TestProblem => test.Value.Problem;

    private static (T? Phase, string? Problem) Resolve<T>(IServiceProvider services, string role, Func<IChatClient, T> create)
        where T : class
    {
        try
        {
            var client = services.GetKeyedService<IChatClient>(role);
            return client is null
                ? (null, $"No {role} model endpoint is configured (set SleepTime:Models:{Capitalize(role)}:Model and its endpoint).")
                : (create(client), null);
        }
        catch (OptionsValidationException ex)
        {
            return (null, $"No usable {role} model endpoint is configured: {string.Join(" ", ex.Failures)}");
        }
    }

    private static string Capitalize(string role) => char.ToUpperInvariant(role[0]) + role[1..];
}
