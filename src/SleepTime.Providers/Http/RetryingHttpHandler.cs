using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace SleepTime.Providers.Http;

/// <summary>
/// Retries model calls at the HTTP layer, so that every SDK (OpenAI, Anthropic, OllamaSharp) behaves alike.
/// </summary>
/// <remarks>
/// <para>Each attempt gets its own timeout (<see cref="ModelEndpointOptions.Timeout"/>), measured in real time because
/// the server it waits for runs in real time. A non-streamed response body is read inside the attempt, so a server that
/// hangs mid-body is retried too; a streamed body (<c>text/event-stream</c>, <c>application/x-ndjson</c>) is handed
/// over once its headers arrived.</para>
/// <para>Retried: 429, 500, 502, 503, 504 and Anthropic's 529 "overloaded", <see cref="HttpRequestException"/> and
/// attempt timeouts. Delays grow exponentially from <see cref="ModelEndpointOptions.RetryBaseDelay"/> with jitter; a
/// <c>Retry-After</c> header (seconds or HTTP date) is honoured instead. Every delay is capped by
/// <see cref="ModelEndpointOptions.RetryMaxDelay"/> and waited on the given <see cref="TimeProvider"/>.</para>
/// <para>A caller's cancellation stops at once and is never retried.</para>
/// </remarks>
internal sealed class RetryingHttpHandler : DelegatingHandler
{
    private static readonly HashSet<HttpStatusCode> RetriedStatuses =
    [
        HttpStatusCode.TooManyRequests,
        HttpStatusCode.InternalServerError,
        HttpStatusCode.BadGateway,
        HttpStatusCode.ServiceUnavailable,
        HttpStatusCode.GatewayTimeout,
        (HttpStatusCode)529,
    ];

    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly TimeSpan _attemptTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly string _provider;
    private readonly ILogger _logger;

    public RetryingHttpHandler(
        ModelEndpointOptions options,
        string provider,
        TimeProvider timeProvider,
        ILogger logger,
        HttpMessageHandler innerHandler)
        : base(innerHandler)
    {
        _attemptTimeout = options.Timeout;
        _timeProvider = timeProvider;
        _provider = provider;
        _logger = logger;
        _pipeline = BuildPipeline(options, timeProvider);
    }

    /// <summary>Whether a response status is worth another attempt.</summary>
    public static bool IsRetriedStatus(int status) => RetriedStatuses.Contains((HttpStatusCode)status);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null)
        {
            // Buffer the body once so that every attempt can send it again.
            await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        var scope = ProviderCallScope.Current;
        if (scope is not null)
        {
            scope.AttemptTimeout = _attemptTimeout;
        }

        try
        {
            return await _pipeline.ExecuteAsync(
                static (state, token) => new ValueTask<HttpResponseMessage>(state.Self.SendAttemptAsync(state.Request, state.Scope, token)),
                (Self: this, Request: request, Scope: scope),
                cancellationToken).ConfigureAwait(false);
        }
        catch (AttemptTimeoutException timeout) when (!cancellationToken.IsCancellationRequested)
        {
            // Shaped like HttpClient's own timeout, which every SDK already understands.
            throw new TaskCanceledException(
                $"{_provider} did not answer within the per-attempt timeout of {_attemptTimeout.TotalSeconds:0.###} s.",
                timeout);
        }
    }

    private async Task<HttpResponseMessage> SendAttemptAsync(HttpRequestMessage request, ProviderCallScope? scope, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(_attemptTimeout);
        HttpResponseMessage? response = null;
        try
        {
            response = await base.SendAsync(request, attempt.Token).ConfigureAwait(false);
            if (!IsStreamed(response))
            {
                await response.Content.LoadIntoBufferAsync(attempt.Token).ConfigureAwait(false);
            }

            scope?.RecordResponse((int)response.StatusCode, RetryAfter.From(response, _timeProvider));
            return response;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && attempt.IsCancellationRequested)
        {
            response?.Dispose();
            scope?.RecordFailure(timedOut: true);
            throw new AttemptTimeoutException(_attemptTimeout, ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            response?.Dispose();
            scope?.RecordFailure(timedOut: false);
            throw;
        }
    }

    private static bool IsStreamed(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is "text/event-stream" or "application/x-ndjson";

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline(ModelEndpointOptions options, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider };
        if (options.MaxRetries > 0)
        {
            var maxDelay = options.RetryMaxDelay;
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = maxDelay,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: HttpRequestException or AttemptTimeoutException } => true,
                    { Result: { } response } => IsRetriedStatus((int)response.StatusCode),
                    _ => false,
                }),
                DelayGenerator = args =>
                {
                    var asked = args.Outcome.Result is { } response ? RetryAfter.From(response, timeProvider) : null;
                    return ValueTask.FromResult(asked is { } delay ? (TimeSpan?)(delay > maxDelay ? maxDelay : delay) : null);
                },
                OnRetry = args =>
                {
                    var reason = args.Outcome.Exception is { } exception
                        ? exception.GetType().Name + ": " + exception.Message
                        : $"HTTP {(int)args.Outcome.Result!.StatusCode}";
                    _logger.LogWarning(
                        "{Provider} call failed ({Reason}); retry {Retry} of {MaxRetries} in {Delay} ms",
                        _provider,
                        reason,
                        args.AttemptNumber + 1,
                        options.MaxRetries,
                        args.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.Build();
    }
}
