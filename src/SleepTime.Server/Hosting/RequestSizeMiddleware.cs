using Microsoft.Extensions.Options;

namespace SleepTime.Server;

/// <summary>Refuses a body whose declared length is over the limit with a 413 problem before reading any of it.</summary>
public sealed class RequestSizeMiddleware(RequestDelegate next, IOptions<ServerOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var limit = options.Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            await Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Too large", $"The request body may have at most {limit:N0} bytes.").ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }
}
