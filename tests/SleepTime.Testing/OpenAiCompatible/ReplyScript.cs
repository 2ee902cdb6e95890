using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace SleepTime.Testing.OpenAiCompatible;

/// <summary>
/// What every protocol fake does with chat requests, whatever its wire format: record each one, then answer with the
/// next queued reply, else the responder's, else <c>FakeReply.Text("fake reply")</c>.
/// </summary>
internal sealed class ReplyScript
{
    private readonly ConcurrentQueue<FakeReply> replies = new();
    private readonly Lock gate = new();
    private readonly List<FakeChatRequest> requests = [];

    public Func<FakeChatRequest, FakeReply>? Responder { get; set; }

    public int Pending => replies.Count;

    public IReadOnlyList<FakeChatRequest> Requests
    {
        get
        {
            lock (gate)
            {
                return requests.ToArray();
            }
        }
    }

    public void Enqueue(FakeReply[] toQueue)
    {
        ArgumentNullException.ThrowIfNull(toQueue);
        foreach (var reply in toQueue)
        {
            replies.Enqueue(reply ?? throw new ArgumentException("A reply is null.", nameof(toQueue)));
        }
    }

    public FakeReply Next(FakeChatRequest request)
    {
        lock (gate)
        {
            requests.Add(request);
        }

        return replies.TryDequeue(out var queued) ? queued : Responder?.Invoke(request) ?? FakeReply.Text("fake reply");
    }

    /// <summary>
    /// One chat turn up to the point where the wire formats differ: parses the request (400 when malformed), takes
    /// its reply, waits out the reply's delay and writes an error reply. Returns the request and the reply to write,
    /// or null when nothing is left to write (answered already, or the client went away).
    /// </summary>
    public async Task<(FakeChatRequest Request, FakeReply Reply)?> TakeTurnAsync(
        HttpContext context,
        RecordedRequest recorded,
        Func<JsonElement?, FakeChatRequest> parse,
        Func<HttpContext, FakeReply, Task> writeError,
        string requestName)
    {
        FakeChatRequest request;
        try
        {
            request = parse(recorded.Body);
        }
        catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException or FormatException)
        {
            await writeError(context, FakeReply.Error(400, message: $"Malformed {requestName}: " + ex.Message)).ConfigureAwait(false);
            return null;
        }

        var reply = Next(request);
        if (!await FakeOpenAiServer.WaitAsync(reply.TotalDelay, context).ConfigureAwait(false))
        {
            return null;
        }

        reply = reply.Final;
        if (reply.Kind == FakeReplyKind.Error)
        {
            await writeError(context, reply).ConfigureAwait(false);
            return null;
        }

        return (request, reply);
    }
}
