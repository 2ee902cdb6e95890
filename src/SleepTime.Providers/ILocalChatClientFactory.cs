using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace SleepTime.Providers;

/// <summary>
/// Creates the chat client of a <see cref="ProviderKind.Local"/> endpoint. Implemented by the
/// <c>SleepTime.Providers.Local</c> library, so that only applications that run models in-process carry its native
/// runtime; <see cref="ChatClientFactory"/> and <see cref="ServiceCollectionExtensions.AddSleepTimeModels"/> use it
/// when one is passed or registered.
/// </summary>
public interface ILocalChatClientFactory
{
    /// <summary>Creates a client for <paramref name="options"/> (already validated, <see cref="ModelEndpointOptions.ModelPath"/> set).</summary>
    IChatClient CreateChatClient(ModelEndpointOptions options, ILoggerFactory loggerFactory);
}
