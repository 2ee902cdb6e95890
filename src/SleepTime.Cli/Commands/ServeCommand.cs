using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using SleepTime.Providers.Local;
using SleepTime.Server;

namespace SleepTime.Cli.Commands;

/// <summary><c>sleeptime serve</c>: the server on an embedded SQLite file, no set-up needed.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = $"Address to listen on (default {SleepTimeServer.DefaultUrl})." };
        var data = new Option<string?>("--data") { Description = "SQLite data file (default: SleepTime:Storage:SqlitePath, else ~/.sleeptime/sleeptime.db)." };
        var postgres = new Option<string?>("--postgres") { Description = "Use PostgreSQL at this connection string instead of SQLite; scheduling is then clustered, so several nodes can share the database." };
        var command = new Command("serve", "Run the SleepTime server: HTTP API, background sleep scheduling, OpenAI-compatible facade.") { urls, data, postgres };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. parseResult.UnmatchedTokens] });
            var settings = new Dictionary<string, string?>();
            if (parseResult.GetValue(urls) is { } u)
            {
                settings["urls"] = u;
            }

            if (parseResult.GetValue(postgres) is { } pg)
            {
                settings["SleepTime:Storage:Provider"] = "Postgres";
                settings["SleepTime:Storage:ConnectionString"] = pg;
                if (string.IsNullOrEmpty(builder.Configuration["SleepTime:Scheduling:Clustered"]))
                {
                    settings["SleepTime:Scheduling:Clustered"] = "true";
                }
            }
            else if (parseResult.GetValue(data) is { } file)
            {
                settings["SleepTime:Storage:SqlitePath"] = file;
            }
            else if (string.IsNullOrEmpty(builder.Configuration["SleepTime:Storage:SqlitePath"]))
            {
                settings["SleepTime:Storage:SqlitePath"] = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".sleeptime", "sleeptime.db");
            }

            builder.Configuration.AddInMemoryCollection(settings);

            // A failed start is reported below in one line (or, for what is not a bind failure, with its exception by the
            // command line); the host's own "Hosting failed to start" error would print the stack trace first.
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
            SleepTimeServer.AddSleepTimeServer(builder);
            builder.Services.AddSleepTimeLocalModels();
            if (EmbeddedFallback.For(builder.Configuration) is { } fallback)
            {
                builder.Services.AddSingleton(fallback);
            }

            var app = builder.Build();
            SleepTimeServer.UseSleepTimeServer(app);
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                // Kestrel could not bind (the port is taken, or the address is not this machine's): one line, no stack trace.
                // Nothing was lost: the admin key is generated and printed only once the server listens.
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"sleeptime serve could not start: {ex.Message} Pass another address with --urls, or stop what listens there.").ConfigureAwait(false);
                await app.DisposeAsync().ConfigureAwait(false);
                return 1;
            }
            catch (FormatException ex)
            {
                // An address Kestrel cannot read, such as one without its scheme.
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"sleeptime serve could not start: {ex.Message} Pass --urls with its scheme, such as --urls {SleepTimeServer.DefaultUrl}.").ConfigureAwait(false);
                await app.DisposeAsync().ConfigureAwait(false);
                return 1;
            }


            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
