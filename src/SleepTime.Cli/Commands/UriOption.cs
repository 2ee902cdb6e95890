using System.CommandLine;

namespace SleepTime.Cli.Commands;

/// <summary>An option holding an absolute http(s) URL; System.CommandLine has no parser for <see cref="Uri"/>.</summary>
internal static class UriOption
{
    public static Option<Uri?> Create(string name, string description, bool required = false) => new(name)
    {
        Description = description,
        Required = required,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                return uri;
            }

            result.AddError($"{name} must be an absolute http or https URL, such as http://localhost:8000/v1 (got '{text}').");
            return null;
        },
    };
}
