using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SleepTime.Providers;
using SleepTime.Providers.Local;
using SleepTime.Providers.Local.Embedded;
using SleepTime.Server;

namespace SleepTime.Cli.Commands;

/// <summary>
/// sleeptime-tiny as the server's <see cref="FallbackModel"/>: what runs a phase that has no endpoint configured,
/// with the compact prompts and plain-text math sleep it was trained on. Off with
/// <c>SleepTime:Models:Embedded=false</c> (then such a phase is unavailable, as before), and absent where the
/// model file is not shipped.
/// </summary>
internal static class EmbeddedFallback
{
    public const string Switch = "SleepTime:Models:Embedded";

    public static FallbackModel? For(IConfiguration configuration)
    {
        if (string.Equals(configuration[Switch], "false", StringComparison.OrdinalIgnoreCase) || EmbeddedModel.FindFile() is not { } file)
        {
            return null;
        }

        var defaults = EmbeddedModel.Defaults(file);
        return new FallbackModel(
            services => defaults.CreateChatClient(services.GetRequiredService<ILocalChatClientFactory>(), services.GetRequiredService<ILoggerFactory>()),
            defaults.Prompts,
            requested => requested with { Mode = defaults.SleepOptions.Mode, Variant = defaults.SleepOptions.Variant },
            $"{defaults.Notice} (Set {Switch}=false to leave unconfigured phases without a model.)");
    }
}
