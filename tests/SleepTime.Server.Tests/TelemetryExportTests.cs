using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace SleepTime.Server.Tests;

/// <summary>With the standard OTEL_EXPORTER_OTLP_* settings, traces and metrics reach an OTLP/HTTP collector.</summary>
public sealed class TelemetryExportTests
{
    [Fact]
    public async Task Traces_and_metrics_are_exported_over_otlp_when_an_endpoint_is_configured()
    {
        var received = new ConcurrentDictionary<string, int>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var collector = builder.Build();
        collector.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            if (body.Length > 0)
            {
                received.AddOrUpdate(signal, 1, (_, n) => n + 1);
            }

            return Results.Ok();
        });
        await collector.StartAsync();
        var endpoint = collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        await using (var server = new ServerFactory(settings: new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        }))
        {
            var client = server.Client();
            await client.PostOkAsync("/api/contexts", new { id = "traced", kind = "document", text = "Ann has 3 apples." });
            await client.PostOkAsync("/api/contexts/traced/queries", new { question = "How many apples?" });
            await client.WaitForIdleAsync("traced");

            // Exports run on the SDK's own timers; the deadline only keeps a broken exporter from hanging the test.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!(received.ContainsKey("traces") && received.ContainsKey("metrics")) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }

        Assert.True(received.ContainsKey("traces"), "no trace export arrived; got: " + string.Join(", ", received.Keys));
        Assert.True(received.ContainsKey("metrics"), "no metrics export arrived; got: " + string.Join(", ", received.Keys));
    }
}
