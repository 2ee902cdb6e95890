using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SleepTime.Extensions.AI;

public static class SleepTimeChatClientBuilderExtensions
{
    /// <summary>
    /// Adds sleep-time memory to the pipeline (see <see cref="SleepTimeChatClient"/>). Without
    /// <paramref name="memory"/>, the <see cref="SleepTimeMemory"/> registered in the services is used.
    /// </summary>
    /// <summary>
    /// Adds sleep-time memory to the pipeline (see <see cref="SleepTimeChatClient"/>). Without
    /// <paramref name="memory"/>, the <see cref="SleepTimeMemory"/> registered in the services is used.
    /// </summary>
    public static ChatClientBuilder UseSleepTime(this ChatClientBuilder builder, SleepTimeMemory? memory = null, SleepTimeChatClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new SleepTimeChatClient(
            inner,
            memory ?? services.GetRequiredService<SleepTimeMemory>(),
            options,
            services.GetService<ILoggerFactory>()?.CreateLogger<SleepTimeChatClient>()));
    }
}
