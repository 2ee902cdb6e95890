namespace SleepTime.Server.Tests.Contracts;

/// <summary>One response the server under test produced: the operation it answered and what it sent.</summary>
public sealed record RecordedResponse(string Method, string Template, string Path, int Status, string? ContentType, string Body, bool Truncated);
