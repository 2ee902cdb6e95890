using System.Text.Json;

namespace SleepTime.Testing.OpenAiCompatible;

/// <summary>One HTTP request as a fake model server received it.</summary>
/// <param name="Method">The HTTP method, e.g. <c>POST</c>.</param>
/// <param name="Path">The request path, e.g. <c>/v1/chat/completions</c>.</param>
/// <param name="Body">The parsed JSON body, or <see langword="null"/> when the body was empty or not JSON.</param>
/// <param name="RawBody">The body exactly as received (UTF-8 text).</param>
/// <param name="Headers">The request headers (case-insensitive names; repeated values joined with <c>", "</c>).</param>
public sealed record RecordedRequest(
    string Method,
    string Path,
    JsonElement? Body,
    string RawBody,
    IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The value of a header, or <see langword="null"/> when absent.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
