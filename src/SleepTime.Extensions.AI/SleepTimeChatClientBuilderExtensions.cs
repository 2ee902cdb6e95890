using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SleepTime.Extensions.AI;

public static class SleepTimeChatClientBuilderExtensions
{
    /// <summary>
    /// Adds sleep-time memory to the pipeline (see <see cref="SleepTimeChatClient"/>). Without
    /// <paramref name="memory"/>, the <see cref="IConversationMemory"/> registered in the services is used, else the
    /// registered <see cref="SleepTimeMemory"/>; pass a <see cref="Remote.RemoteConversationMemory"/> for a server's memory.
    /// </summary>
    public static ChatClientBuilder UseSleepTime(this ChatClientBuilder builder, IConversationMemory? memory = null, SleepTimeChatClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) => new SleepTimeChatClient(
            inner,
            memory ?? services.GetService<IConversationMemory>() ?? services.GetRequiredService<SleepTimeMemory>(),
            options,
            services.GetService<ILoggerFactory>()?.CreateLogger<SleepTimeChatClient>()));
    }
}
