using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;

namespace SleepTime.Client;

public static class SleepTimeClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SleepTimeClient"/> as a typed client of <c>IHttpClientFactory</c> for the server at
    /// <paramref name="server"/>, sending <paramref name="apiKey"/> as <c>Authorization: Bearer</c>. Add handlers
    /// (resilience, logging) on the returned builder.
    /// </summary>
    public static IHttpClientBuilder AddSleepTimeClient(this IServiceCollection services, Uri server, string? apiKey = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(server);
        var baseAddress = server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/");
        return services.AddHttpClient<SleepTimeClient>(http =>
        {
            http.BaseAddress = baseAddress;
            if (!string.IsNullOrEmpty(apiKey))
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            }
        });
    }
}
