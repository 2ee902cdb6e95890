namespace SleepTime.Server;

public static class OpenAiServiceCollectionExtensions
{
    /// <summary>The OpenAI-compatible facade's services: its error writer and the shared answering path.</summary>
    public static IServiceCollection AddOpenAiFacade(this IServiceCollection services)
    {
        // First in line: the problem details service asks its writers in registration order.
        services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, OpenAiErrorWriter>());
        services.AddSingleton<FacadeTurn>();
        return services;
    }
}
