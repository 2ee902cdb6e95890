using System.Net.Http.Headers;

namespace SleepTime.Client.Tests;

/// <summary>
/// The network between the client and the server, breaking event streams: each of the first <c>drops</c> SSE
/// connections passes <c>eventsPerConnection</c> events after <c>ready</c> and then fails the next read with an
/// <see cref="IOException"/>, as a dropped connection does. Records each SSE request's <c>Last-Event-ID</c>.
/// </summary>
internal sealed class DroppingHandler(int drops, int eventsPerConnection) : DelegatingHandler(new SocketsHttpHandler())
{
    private int connections;

    public List<string?> ResumedAfter { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (!request.RequestUri!.AbsolutePath.EndsWith("/events", StringComparison.Ordinal))
        {
            return response;
        }

        lock (ResumedAfter)
        {
            ResumedAfter.Add(request.Headers.TryGetValues("Last-Event-ID", out var values) ? values.Single() : null);
        }

        if (Interlocked.Increment(ref connections) > drops)
        {
            return response;
        }

        var inner = await response.Content.ReadAsStreamAsync(cancellationToken);
        var content = new StreamContent(new BreakingStream(inner, eventsPerConnection + 1));
        foreach (var header in response.Content.Headers)
        {
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        content.Headers.ContentType ??= new MediaTypeHeaderValue("text/event-stream");
        response.Content = content;
        return response;
    }

    /// <summary>Passes whole events (ended by a blank line) until <c>events</c> have passed, then breaks.</summary>
    private sealed class BreakingStream(Stream inner, int events) : Stream
    {
        private readonly Queue<byte> pending = new();
        private int passed;
        private byte last;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (passed >= events)
            {
                throw new IOException("The connection was dropped (test).");
            }

            if (pending.Count == 0)
            {
                var chunk = new byte[4096];
                var read = await inner.ReadAsync(chunk, cancellationToken);
                if (read == 0)
                {
                    return 0;
                }

                foreach (var b in chunk.AsSpan(0, read))
                {
                    pending.Enqueue(b);
                }
            }

            var count = 0;
            while (count < buffer.Length && pending.Count > 0 && passed < events)
            {
                var b = pending.Dequeue();
                buffer.Span[count++] = b;
                if (b == (byte)'\n' && last == (byte)'\n')
                {
                    passed++;
                }

                last = b;
            }

            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
