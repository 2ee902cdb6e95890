using System.Collections.Concurrent;

namespace SleepTime.Console.Tests.Browser;

/// <summary>The /api responses a page received, to assert that the console asked nothing the API refused.</summary>
public sealed class ApiResponses
{
    public ConcurrentQueue<(string Method, string Url, int Status)> Seen { get; } = new();

    /// <summary>Fails when any response was a 4xx or 5xx other than those <paramref name="expected"/> allows.</summary>
    public void AssertNoneRefused(Func<(string Method, string Url, int Status), bool>? expected = null)
    {
        var refused = Seen.Where(r => r.Status >= 400 && !(expected?.Invoke(r) ?? false)).ToList();
        Assert.True(Seen.Count > 0, "the page made no /api request");
        Assert.True(refused.Count == 0, "the console made requests the API refused:\n" + string.Join("\n", refused.Select(r => $"{r.Status} {r.Method} {r.Url}")));
    }
}
