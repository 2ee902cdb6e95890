using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SleepTime.Testing.Conditions;

namespace SleepTime.Testing.OpenAiCompatible;

/// <summary>
/// A real llama.cpp <c>llama-server</c> (OpenAI-compatible) started from <c>../shared/tools/llama-server/run</c> with
/// the toy model <c>../shared/models/stories260K/stories260K.gguf</c> on 127.0.0.1 and a free port. Its replies are
/// children's-story text: a real peer for protocol tests (requests, streaming, usage), not a source of answers.
/// </summary>
/// <remarks>
/// Guard tests with <see cref="LlamaServerFactAttribute"/>. Disposing kills the process (by its id) and waits for it.
/// </remarks>
public sealed class LlamaServerProcess : IAsyncDisposable
{
    /// <summary>The launcher script, relative to the shared folder.</summary>
    public const string RunScript = "tools/llama-server/run";

    /// <summary>The server binary, relative to the shared folder.</summary>
    public const string ServerBinary = "tools/llama-server/llama-server";

    /// <summary>The toy model, relative to the shared folder.</summary>
    public const string ToyModel = "models/stories260K/stories260K.gguf";

    private readonly Process _process;
    private readonly OutputTail _output;

    private LlamaServerProcess(Process process, OutputTail output, int port)
    {
        _process = process;
        _output = output;
        Port = port;
    }

    /// <summary>The port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The server root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Root => new($"http://127.0.0.1:{Port}/");

    /// <summary>The OpenAI base URL, e.g. <c>http://127.0.0.1:41234/v1/</c>.</summary>
    public Uri BaseUrl => new(Root, "v1/");

    /// <summary>The process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The last lines the server wrote (stdout and stderr), for failure messages.</summary>
    public string RecentOutput => _output.Text;

    /// <summary>Why the server cannot be started here, or <see langword="null"/> when it can.</summary>
    public static string? MissingReason()
    {
        if (RepositoryPaths.TryRoot is null)
        {
            return $"Not running inside a checkout: no {RepositoryPaths.SolutionFileName} above {AppContext.BaseDirectory}.";
        }

        if (RepositoryPaths.TrySharedFolder is null)
        {
            return "No ../shared folder beside the repository (llama-server and the stories260K model live there).";
        }

        foreach (var relative in new[] { ServerBinary, RunScript, ToyModel })
        {
            if (RepositoryPaths.TryShared(relative) is null)
            {
                return $"../shared/{relative} is absent, so llama-server cannot be started.";
            }
        }

        return null;
    }

    /// <summary>Starts the server and waits until <c>GET /health</c> answers 200.</summary>
    /// <param name="startupTimeout">How long to wait for health; default 60 s.</param>
    /// <param name="extraArguments">More llama-server options, e.g. <c>"-c", "512"</c>.</param>
    /// <exception cref="InvalidOperationException">The server is absent, exited, or did not become healthy in time.</exception>
    public static async Task<LlamaServerProcess> StartAsync(TimeSpan? startupTimeout = null, params string[] extraArguments)
    {
        if (MissingReason() is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        var port = FreePort();
        var startInfo = new ProcessStartInfo(RepositoryPaths.TryShared(RunScript)!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-m", RepositoryPaths.TryShared(ToyModel)!, "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Concat(extraArguments))
        {
            startInfo.ArgumentList.Add(argument);
        }

        var output = new OutputTail();
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException("llama-server did not start.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new LlamaServerProcess(process, output, port);
        try
        {
            await server.WaitForHealthAsync(startupTimeout ?? TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task WaitForHealthAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"llama-server exited with code {_process.ExitCode} before it was healthy:\n{RecentOutput}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Root, "health")).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(200).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"llama-server was not healthy within {timeout.TotalSeconds:0} s:\n{RecentOutput}");
    }

    /// <summary>Kills the server process (by id) and waits for it to exit.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or would not die in time; nothing more to do from a test.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class OutputTail
    {
        private const int MaxLines = 40;
        private readonly Queue<string> _lines = new();
        private readonly Lock _gate = new();

        public string Text
        {
            get
            {
                lock (_gate)
                {
                    return string.Join('\n', _lines);
                }
            }
        }

        public void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_gate)
            {
                _lines.Enqueue(line);
                while (_lines.Count > MaxLines)
                {
                    _lines.Dequeue();
                }
            }
        }
    }
}
