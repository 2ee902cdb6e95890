namespace SleepTime.Providers.Http;

/// <summary>
/// What the HTTP layer saw during one chat call: attempts, the last status and <c>Retry-After</c>, whether the last
/// attempt timed out. <see cref="ProviderErrorChatClient"/> opens a scope per call and the retry handler fills it,
/// because not every SDK's exception carries the status or the response headers.
/// </summary>
internal sealed class ProviderCallScope
{
    private static readonly AsyncLocal<ProviderCallScope?> CurrentScope = new();
    private readonly Lock _gate = new();
    private int _attempts;
    private int? _lastStatus;
    private TimeSpan? _lastRetryAfter;
    private bool _lastTimedOut;

    /// <summary>The scope of the call in progress on this async flow, if any.</summary>
    public static ProviderCallScope? Current => CurrentScope.Value;

    /// <summary>Makes <paramref name="scope"/> current on this async flow (and the flows it starts).</summary>
    public static void Enter(ProviderCallScope scope) => CurrentScope.Value = scope;

    public int Attempts
    {
        get { lock (_gate) { return _attempts; } }
    }

    public int? LastStatus
    {
        get { lock (_gate) { return _lastStatus; } }
    }

    public TimeSpan? LastRetryAfter
    {
        get { lock (_gate) { return _lastRetryAfter; } }
    }

    public bool LastTimedOut
    {
        get { lock (_gate) { return _lastTimedOut; } }
    }

    public TimeSpan? AttemptTimeout { get; set; }

    public void RecordResponse(int status, TimeSpan? retryAfter)
    {
        lock (_gate)
        {
            _attempts++;
            _lastStatus = status;
            _lastRetryAfter = retryAfter;
            _lastTimedOut = false;
        }
    }

    public void RecordFailure(bool timedOut)
    {
        lock (_gate)
        {
            _attempts++;
            _lastStatus = null;
            _lastRetryAfter = null;
            _lastTimedOut = timedOut;
        }
    }
}
