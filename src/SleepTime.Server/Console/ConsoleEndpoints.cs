using Microsoft.Net.Http.Headers;

namespace SleepTime.Server;

/// <summary>
/// Serves the web console: the shell at <c>/</c>, <c>/sign-in</c>, <c>/contexts/{id}</c> and <c>/agents/{id}</c> (the
/// script routes by the URL), and its files under <c>/console/</c>. No API key is needed for these: the console holds
/// none of the tenant's data, it fetches everything from <c>/api</c> with the key the user signs in with.
/// </summary>
public static class ConsoleEndpoints
{
    public const string AssetPrefix = "/console";

    /// <summary>Only the console's own files and the API: no inline script, no other origin, never framed.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public static IServiceCollection AddSleepTimeConsole(this IServiceCollection services) => services.AddSingleton<ConsoleAssets>();

    public static IEndpointRouteBuilder MapSleepTimeConsole(this IEndpointRouteBuilder app)
    {
        var shell = (HttpContext http, ConsoleAssets assets) => Serve(http, assets.Shell);
        foreach (var route in new[] { "/", "/sign-in", "/contexts/{id}", "/agents/{id}" })
        {
            app.MapGet(route, shell).ExcludeFromDescription();
        }

        app.MapGet(AssetPrefix + "/{**path}", (string path, HttpContext http, ConsoleAssets assets) =>
            assets.Find(path) is { } asset && asset.Path != "index.html" ? Serve(http, asset) : Results.NotFound()).ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext http, ConsoleAsset asset)
    {
        var headers = http.Response.Headers;

        // Revalidated on every load (a 304 when unchanged), so an upgraded server never runs an old script.
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (asset.ContentType.StartsWith("text/html", StringComparison.Ordinal))
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
        }

        var requested = http.Request.Headers.IfNoneMatch;
        if (requested.Count > 0 && EntityTagHeaderValue.TryParseList(requested, out var tags) && tags.Any(t => t.Tag == asset.ETag || t.Equals(EntityTagHeaderValue.Any)))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Bytes, asset.ContentType);
    }
}
