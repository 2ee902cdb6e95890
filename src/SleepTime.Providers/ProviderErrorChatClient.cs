using System.ClientModel;
using System.Runtime.CompilerServices;
using Anthropic.Exceptions;
using Microsoft.Extensions.AI;
using OllamaSharp.Models.Exceptions;
using SleepTime.Providers.Http;

namespace SleepTime.Providers;

/// <summary>
/// Turns the failures of the wrapped provider client (OpenAI's <see cref="ClientResultException"/>, Anthropic's
/// <see cref="AnthropicException"/>s, OllamaSharp's <see cref="OllamaException"/>, <see cref="HttpRequestException"/>,
/// and timeouts that surface as <see cref="TaskCanceledException"/>) into one <see cref="ModelProviderException"/>
/// carrying the provider, the HTTP status, whether the failure is transient, and the server's <c>Retry-After</c>.
/// </summary>
/// <remarks>
/// A caller's own cancellation is not a provider failure: when the caller's token is cancelled the call ends with an
/// <see cref="OperationCanceledException"/>. Other exceptions (argument errors, unsupported features) pass through.
/// Streaming calls are translated the same way, including failures while the stream is read.
/// </remarks>
public sealed class ProviderErrorChatClient : DelegatingChatClient
{
    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    /// <param name="innerClient">The provider's chat client.</param>
    /// <param name="provider">The provider's name for messages and <see cref="ModelProviderException.Provider"/>.</param>
    /// <param name="timeProvider">The clock used to read <c>Retry-After</c> dates; default: the system clock.</param>
    public ProviderErrorChatClient(IChatClient innerClient, string provider, TimeProvider? timeProvider = null)
        : this(innerClient, provider, timeProvider, ownedResource: null)
    {
    }

    /// <summary>Wraps <paramref name="innerClient"/> and disposes <paramref name="ownedResource"/> (its HTTP client) with it.</summary>
    internal ProviderErrorChatClient(IChatClient innerClient, string provider, TimeProvider? timeProvider, IDisposable? ownedResource)
        : base(innerClient)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        Provider = provider;
        TimeProvider = timeProvider ?? TimeProvider.System;
        _ownedResource = ownedResource;
    }

    private readonly IDisposable? _ownedResource;

    /// <summary>The provider's name, e.g. <c>OpenAI</c>.</summary>
    public string Provider { get; }

    private TimeProvider TimeProvider { get; }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ownedResource?.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var scope = new ProviderCallScope();
        ProviderCallScope.Enter(scope);
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex, scope, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var scope = new ProviderCallScope();
        ProviderCallScope.Enter(scope);
        IAsyncEnumerator<ChatResponseUpdate> updates;
        try
        {
            updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
        catch (Exception ex) when (Translate(ex, scope, cancellationToken) is { } translated)
        {
            throw translated;
        }

        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    // Each step may run on a fresh async flow; make the scope current again before the HTTP work.
                    ProviderCallScope.Enter(scope);
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    update = updates.Current;
                }
                catch (Exception ex) when (Translate(ex, scope, cancellationToken) is { } translated)
                {
                    throw translated;
                }

                yield return update;
            }
        }
    }

    /// <summary>
    /// The exception to throw instead of <paramref name="exception"/>, or <see langword="null"/> to let it pass as is.
    /// </summary>
    private Exception? Translate(Exception exception, ProviderCallScope scope, CancellationToken cancellationToken)
    {
        if (exception is ModelProviderException)
        {
            return null;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            // The caller cancelled: whatever the SDK made of it, report a cancellation.
            return exception is OperationCanceledException ? null : new OperationCanceledException("The model call was cancelled.", exception, cancellationToken);
        }

        var chain = Chain(exception).ToList();
        var clientResult = chain.OfType<ClientResultException>().FirstOrDefault(e => e.Status > 0);
        var anthropicApi = chain.OfType<AnthropicApiException>().FirstOrDefault();
        var httpRequest = chain.OfType<HttpRequestException>().FirstOrDefault();
        var timedOut = chain.Any(e => e is TimeoutException or AttemptTimeoutException)
            || scope.LastTimedOut
            || (exception is OperationCanceledException && chain.All(e => e is OperationCanceledException));
        var known = clientResult is not null
            || anthropicApi is not null
            || httpRequest is not null
            || timedOut
            || chain.Any(e => e is ClientResultException or AnthropicException or OllamaException);
        if (!known)
        {
            return null;
        }

        int? status = clientResult?.Status
            ?? (anthropicApi is not null ? (int?)(int)anthropicApi.StatusCode : null)
            ?? (httpRequest?.StatusCode is { } code ? (int?)(int)code : null)
            ?? (timedOut ? null : scope.LastStatus);

        TimeSpan? retryAfter = null;
        if (clientResult?.GetRawResponse() is { } raw && raw.Headers.TryGetValue("Retry-After", out var header))
        {
            retryAfter = RetryAfter.Parse(header, TimeProvider);
        }

        if (retryAfter is null && status is not null && status == scope.LastStatus)
        {
            retryAfter = scope.LastRetryAfter;
        }

        var transient = status is { } s
            ? RetryingHttpHandler.IsRetriedStatus(s) || s == 408
            : timedOut || httpRequest is not null || chain.Any(e => e is AnthropicIOException);

        var attempts = scope.Attempts > 0 ? $" after {scope.Attempts} attempt{(scope.Attempts == 1 ? "" : "s")}" : "";
        string message;
        if (status is not null)
        {
            var detail = FirstLine((Exception?)clientResult ?? (Exception?)anthropicApi ?? exception);
            message = $"{Provider} request failed with HTTP {status}{attempts}: {detail}";
        }
        else if (timedOut)
        {
            var limit = scope.AttemptTimeout is { } t ? $" within the per-attempt timeout of {t.TotalSeconds:0.###} s" : " in time";
            message = $"{Provider} did not answer{limit}{attempts}.";
        }
        else
        {
            message = $"{Provider} request failed{attempts}: {FirstLine(httpRequest ?? exception)}";
        }

        return new ModelProviderException(message, Provider, status, transient, retryAfter, exception);
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }

                yield break;
            }
        }
    }

    private static string FirstLine(Exception exception)
    {
        var text = exception.Message.Trim();
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var joined = string.Join(" ", lines.Take(3));
        return joined.Length > 400 ? joined[..400] + "…" : joined;
    }
}
