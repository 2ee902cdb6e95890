using System.Net.Http.Headers;
using SleepTime.Client.Agents;
using SleepTime.Client.Blocks;
using SleepTime.Client.ChangeSets;
using SleepTime.Client.Contexts;
using SleepTime.Client.Events;
using SleepTime.Client.Http;
using SleepTime.Client.Learned;
using SleepTime.Client.Queries;
using SleepTime.Client.Runs;
using SleepTime.Client.Tenants;
using SleepTime.Client.Usage;
using SleepTime.Server;

namespace SleepTime.Client;

/// <summary>
/// The typed client of a SleepTime server's <c>/api</c>, one property per resource group. Requests and responses are
/// the server's own contract records; a refusal is a <see cref="SleepTimeApiException"/> with the problem details.
/// </summary>
public sealed class SleepTimeClient : IDisposable
{
    private readonly HttpClient http;
    private readonly bool ownsHttp;
    private readonly ApiConnection api;

    /// <summary>Over an <see cref="HttpClient"/> whose <see cref="HttpClient.BaseAddress"/> is the server (and that carries the key, if any).</summary>
    public SleepTimeClient(HttpClient http)
        : this(http, ownsHttp: false)
    {
    }

    private SleepTimeClient(HttpClient http, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.BaseAddress is null)
        {
            throw new ArgumentException("The HttpClient needs a BaseAddress: the server, such as http://127.0.0.1:5000.", nameof(http));
        }

        this.http = http;
        this.ownsHttp = ownsHttp;
        var api = new ApiConnection(http);
        Contexts = new ContextsClient(api);
        Learned = new LearnedContextsClient(api);
        Runs = new RunsClient(api);
        Queries = new QueriesClient(api);
        Usage = new UsageClient(api);
        Agents = new AgentsClient(api);
        Blocks = new BlocksClient(api);
        ChangeSets = new ChangeSetsClient(api);
        Events = new EventsClient(api);
        Tenants = new TenantsClient(api);
        this.api = api;
    }

    /// <summary>A client of the server at <paramref name="server"/> with this API key (sent as <c>Authorization: Bearer</c>).</summary>
    public static SleepTimeClient Create(Uri server, string? apiKey = null, TimeSpan? timeout = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var http = handler is null ? new HttpClient() : new HttpClient(handler);
        http.BaseAddress = server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/");
        http.Timeout = timeout ?? TimeSpan.FromSeconds(100);
        if (!string.IsNullOrEmpty(apiKey))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return new SleepTimeClient(http, ownsHttp: true);
    }

    public Uri Server => http.BaseAddress!;

    public ContextsClient Contexts { get; }

    public LearnedContextsClient Learned { get; }

    public RunsClient Runs { get; }

    public QueriesClient Queries { get; }

    public UsageClient Usage { get; }

    public AgentsClient Agents { get; }

    public BlocksClient Blocks { get; }

    public ChangeSetsClient ChangeSets { get; }

    public EventsClient Events { get; }

    public TenantsClient Tenants { get; }

    /// <summary>GET /health: whether the server answers at all.</summary>
    public Task<HealthView> HealthAsync(CancellationToken cancellationToken = default) =>
        api.SendAsync<HealthView>(HttpMethod.Get, "health", cancellationToken);

    public void Dispose()
    {
        if (ownsHttp)
        {
            http.Dispose();
        }
    }
}
