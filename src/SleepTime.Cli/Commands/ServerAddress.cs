namespace SleepTime.Cli.Commands;

/// <summary>Checks the <c>--server</c> address before anything is sent, so a bad one is one clear line, not a stack trace.</summary>
internal static class ServerAddress
{
    /// <summary>The address as a base URI ending in '/', or null with the problem in one line.</summary>
    public static Uri? Parse(string? text, out string? problem)
    {
        problem = null;
        var value = text?.Trim() ?? string.Empty;
        if (value.Length == 0)
        {
            problem = "No server address: pass --server http://host:port (or set SLEEPTIME_URL).";
            return null;
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && !string.IsNullOrEmpty(uri.Host)
            && value.Contains("://", StringComparison.Ordinal))
        {
            if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            {
                problem = $"The server address '{value}' has a query or fragment: pass just the scheme, host and port, such as http://127.0.0.1:5000.";
                return null;
            }

            return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
        }

        var suggestion = value.Contains("://", StringComparison.Ordinal) ? "http://127.0.0.1:5000" : "http://" + value;
        problem = $"The server address '{value}' is not an http or https URL: pass one with its scheme, such as --server {suggestion} (or set SLEEPTIME_URL).";
        return null;
    }
}
