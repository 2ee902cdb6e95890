using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SleepTime.Cli.Tests;

/// <summary>
/// <c>sleeptime serve</c> as a real process (the CLI's build output run with <c>dotnet</c>), with no admin key
/// configured: the generated key is printed only once the server listens, so a start that fails to bind loses nothing.
/// </summary>
[Collection(ServeProcesses.Name)]
public sealed class ServeAdminKeyTests : IDisposable
{
    private const string KeyLine = "SleepTime admin API key (shown only now, keep it): ";

    private readonly string data = Path.Combine(Path.GetTempPath(), "sleeptime-cli-tests", Guid.NewGuid().ToString("N") + ".db");

    [Fact]
    public async Task A_start_on_a_busy_port_prints_one_error_and_no_key_and_the_next_start_prints_it_after_listening()
    {
        using (var busy = new TcpListener(IPAddress.Loopback, 0))
        {
            busy.Start();
            var port = ((IPEndPoint)busy.LocalEndpoint).Port;
            using var failed = Serve(port);
            Assert.True(await failed.WaitForExitAsync(TimeSpan.FromSeconds(60)), "serve did not exit on a busy port: " + failed.Output);

            Assert.NotEqual(0, failed.ExitCode);
            Assert.DoesNotContain("admin API key", failed.Output, StringComparison.Ordinal);
            Assert.Contains($"sleeptime serve could not start: Failed to bind to address http://127.0.0.1:{port}", failed.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", failed.Output, StringComparison.Ordinal);
        }

        var free = ServeProcess.FreePort();
        using var started = Serve(free);
        var key = await started.WaitForLineAsync(l => l.StartsWith(KeyLine, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.Matches("^st_[A-Za-z0-9_-]+$", key[KeyLine.Length..]);
        var lines = started.Lines;
        var listening = lines.FindIndex(l => l == $"SleepTime is listening on http://127.0.0.1:{free}.");
        Assert.True(listening >= 0 && listening < lines.IndexOf(key), string.Join('\n', lines));

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{free}/") };
        client.DefaultRequestHeaders.Authorization = new("Bearer", key[KeyLine.Length..]);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/tenants/me")).StatusCode);
        started.Kill();

        using var again = Serve(ServeProcess.FreePort());
        await again.WaitForLineAsync(l => l.Contains("Application started", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        again.Kill();
        Assert.Single(lines.Concat(again.Lines), l => l.Contains("admin API key", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        foreach (var file in new[] { data, data + "-wal", data + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
            }
        }
    }

    private ServeProcess Serve(int port) => ServeProcess.Start(["serve", "--urls", $"http://127.0.0.1:{port}", "--data", data]);
}

/// <summary>A <c>sleeptime</c> process whose output lines are collected as they come; disposing kills it.</summary>
internal sealed class ServeProcess : IDisposable
{
    private readonly Process process;
    private readonly List<string> lines = [];
    private readonly Lock gate = new();

    private ServeProcess(Process process) => this.process = process;

    public List<string> Lines
    {
        get
        {
            lock (gate)
            {
                return [.. lines];
            }
        }
    }

    public string Output => string.Join('\n', Lines);

    public int ExitCode => process.ExitCode;

    /// <summary>A loopback port nothing listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static ServeProcess Start(string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sleeptime.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("SleepTime__Server__AdminKey");
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var served = new ServeProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start sleeptime."));
        served.process.OutputDataReceived += (_, e) => served.Add(e.Data);
        served.process.ErrorDataReceived += (_, e) => served.Add(e.Data);
        served.process.BeginOutputReadLine();
        served.process.BeginErrorReadLine();
        return served;
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(wait.Token);
            process.WaitForExit();
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            Assert.True(DateTime.UtcNow < deadline && !process.HasExited, "No such line in: " + Output);
            await Task.Delay(50);
        }
    }

    public void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            lock (gate)
            {
                lines.Add(line);
            }
        }
    }
}
