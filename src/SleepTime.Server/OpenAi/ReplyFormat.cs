using Microsoft.Extensions.AI;

namespace SleepTime.Server;

/// <summary>What every reply carries on the wire, fixed before the model answers so streamed chunks can carry it.</summary>
internal sealed record ReplyHeader(string Id, string Model, DateTimeOffset Created, bool IncludeUsage);

/// <summary>How a reply is written: the chat completions format or the Responses format.</summary>
internal interface IReplyFormat
{
    /// <summary>Writes a whole reply as one JSON response.</summary>
    Task WriteAsync(HttpContext http, ReplyHeader header, ChatReply reply);

    /// <summary>A stream of server-sent events for one reply; nothing is written before <see cref="IReplyStream.StartAsync"/>.</summary>
    IReplyStream OpenStream(HttpContext http, ReplyHeader header);
}

/// <summary>One streamed reply: started once the model's first chunk is in, each chunk forwarded, then completed or failed.</summary>
internal interface IReplyStream
{
    Task StartAsync(CancellationToken cancellationToken);

    Task WriteAsync(ChatResponseUpdate chunk, CancellationToken cancellationToken);

    /// <summary>Ends a reply that completed and was recorded.</summary>
    Task CompleteAsync(ChatReply reply, CancellationToken cancellationToken);

    /// <summary>Ends a reply that failed after the stream started: an error event, never the end-of-stream marker.</summary>
    Task FailAsync(OpenAiError error, CancellationToken cancellationToken);
}
