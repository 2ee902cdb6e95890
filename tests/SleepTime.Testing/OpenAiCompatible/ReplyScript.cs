using System.Collections.Concurrent;

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
}
