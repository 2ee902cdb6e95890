using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace SleepTime.Testing.OpenAiCompatible;

/// <summary>A thread-safe, append-only log of the requests a fake server received.</summary>
internal sealed class RequestLog
{
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (_gate)
        {
            return _requests.ToArray();
        }
    }

    /// <summary>Reads the body of <paramref name="context"/>'s request, records it, and returns it.</summary>
    public async Task<RecordedRequest> RecordAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var raw = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        JsonElement? body = null;
        if (!string.IsNullOrWhiteSpace(raw))
        {
            try
            {
                using var document = JsonDocument.Parse(raw);
                body = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                body = null;
            }
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in context.Request.Headers)
        {
            headers[header.Key] = header.Value.ToString();
        }

        var recorded = new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "/", body, raw, headers);
        lock (_gate)
        {
            _requests.Add(recorded);
        }

        return recorded;
    }
}
