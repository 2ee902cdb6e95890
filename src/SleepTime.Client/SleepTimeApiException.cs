using System.Net;

namespace SleepTime.Client;

/// <summary>
/// The server refused a request: its status and the RFC 9457 problem details it answered with (<c>type</c>,
/// <c>title</c>, <c>detail</c>, and <c>field</c> when one request field was wrong). <see cref="Body"/> is the raw answer.
/// </summary>
public sealed class SleepTimeApiException : Exception
{
    public SleepTimeApiException(HttpStatusCode status, string? title, string? detail, string? type, string? field, string body)
        : base(Describe(status, title, detail))
    {
        Status = status;
        Title = title;
        Detail = detail;
        Type = type;
        Field = field;
        Body = body;
    }

    public SleepTimeApiException()
        : this(0, null, null, null, null, string.Empty)
    {
    }

    public SleepTimeApiException(string message)
        : base(message)
    {
        Body = string.Empty;
    }

    public SleepTimeApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Body = string.Empty;
    }

    public HttpStatusCode Status { get; }

    public string? Title { get; }

    public string? Detail { get; }

    public string? Type { get; }

    public string? Field { get; }

    public string Body { get; }

    private static string Describe(HttpStatusCode status, string? title, string? detail) =>
        $"{(int)status} {title ?? status.ToString()}{(detail is null ? string.Empty : ": " + detail)}";
}
