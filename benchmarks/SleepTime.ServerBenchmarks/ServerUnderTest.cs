using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace SleepTime.ServerBenchmarks;

/// <summary>
/// This program started again as <c>host</c> in a child process, so the server's memory and CPU are its own,
/// on a fresh SQLite file in a temp folder and a free port of 127.0.0.1. Disposing it kills the child and deletes the file.
/// </summary>
public sealed class ServerUnderTest : IAsyncDisposable
{
    public const string AdminKey = "st_benchmark_admin_key";

    private readonly Process process;

    private ServerUnderTest(Process process, Uri baseUrl, string dataFile)
    {
        this.process = process;
        BaseUrl = baseUrl;
        DataFile = dataFile;
    }

    public Uri BaseUrl { get; }

    public string DataFile { get; }

    public static async Task<ServerUnderTest> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var baseUrl = new Uri($"http://127.0.0.1:{port}/");
        var dataFile = Path.Combine(Path.GetTempPath(), "sleeptime-server-benchmarks", Guid.NewGuid().ToString("N") + ".db");
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ServerUnderTest).Assembly.Location);
        }

        var all = new Dictionary<string, string>
        {
            ["urls"] = baseUrl.ToString().TrimEnd('/'),
            ["SleepTime:Storage:SqlitePath"] = dataFile,
            ["SleepTime:Server:AdminKey"] = AdminKey,
            // The limiter stays in the path but never rejects: the benchmark measures the server, not the limit.
            ["SleepTime:Server:RateLimitPerSecond"] = "1000000",
            ["SleepTime:Server:RateLimitBurst"] = "1000000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        start.ArgumentList.Add("host");
        foreach (var (key, value) in all)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("  [server] " + e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("  [server] " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerUnderTest(process, baseUrl, dataFile);
        using var probe = new HttpClient { BaseAddress = baseUrl };
        for (var waited = Stopwatch.StartNew(); ; await Task.Delay(100))
        {
            if (process.HasExited || waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                await server.DisposeAsync();
                throw new InvalidOperationException("The benchmark server did not become ready.");
            }

            try
            {
                if ((await probe.GetAsync("ready")).StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }
        }
    }

    public HttpClient Client() => Client(BaseUrl);

    public static HttpClient Client(Uri baseUrl)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        var client = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    /// <summary>The server process's resident memory now and at its peak, in MiB (Linux /proc).</summary>
    public (double Current, double Peak) ResidentMemoryMiB()
    {
        double Read(string field) => File.ReadLines($"/proc/{process.Id}/status")
            .Where(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024)
            .First();
        return (Read("VmRSS"), Read("VmHWM"));
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        process.Dispose();
        foreach (var file in new[] { DataFile, DataFile + "-wal", DataFile + "-shm" })
        {
            File.Delete(file);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
