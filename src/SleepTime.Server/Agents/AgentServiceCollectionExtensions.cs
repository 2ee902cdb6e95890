namespace SleepTime.Server;

public static class AgentServiceCollectionExtensions
{
    /// <summary>The agents API's options and the sleep-time agents' model resolver; their runs are the one run pipeline's.</summary>
    public static IServiceCollection AddSleepTimeAgents(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AgentServerOptions>(configuration.GetSection(AgentServerOptions.Section));
        services.AddSingleton<SleepTimeModelResolver>();
        return services;
    }
}
