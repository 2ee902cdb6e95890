namespace SleepTime.Server;

public static class AgentServiceCollectionExtensions
{
    /// <summary>The agents API's services and its background runtime; register after <see cref="ServerStartup"/> (which migrates the database).</summary>
    public static IServiceCollection AddSleepTimeAgents(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AgentServerOptions>(configuration.GetSection(AgentServerOptions.Section));
        services.AddSingleton<SleepTimeModelResolver>();
        services.AddSingleton<AgentRuntime>();
        services.AddHostedService(sp => sp.GetRequiredService<AgentRuntime>());
        return services;
    }
}
