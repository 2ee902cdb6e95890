using System.Diagnostics;
using System.Text;

namespace SleepTime;

/// <summary>
/// Runs the <c>git</c> command line on one repository with an argument list (never a shell string), with the options
/// that keep a read-only reader from running anything the repository configures (external diff, text conversion,
/// filesystem monitor, signature checks, hooks, pager).
/// </summary>
internal sealed class GitCli(string repository, IReadOnlyDictionary<string, string>? environment = null)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public sealed record Result(int ExitCode, byte[] Output, string Error)
    {
        public string Text => Encoding.UTF8.GetString(Output);
    }

    public async Task<Result> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = repository,
        };
        foreach (var argument in (string[])["-C", repository, "-c", "core.fsmonitor=false", "-c", "core.quotepath=off", "-c", "log.showSignature=false", "-c", "core.hooksPath=/dev/null", "--no-pager", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_OPTIONAL_LOCKS"] = "0";
        start.Environment["LC_ALL"] = "C";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new CodebaseException($"The git command line could not be started: {ex.Message}");
        }

        process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output, timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await Task.WhenAll(copy, error).ConfigureAwait(false);
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new CodebaseException($"git {string.Join(' ', arguments)} took longer than {Timeout.TotalSeconds:N0} seconds.");
        }

        return new Result(process.ExitCode, output.ToArray(), (await error.ConfigureAwait(false)).Trim());
    }

    /// <summary>Runs git and returns its output, or throws a <see cref="CodebaseException"/> with git's own message.</summary>
    public async Task<Result> RunCheckedAsync(IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        var list = arguments.ToList();
        var result = await RunAsync(list, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 ? result : throw new CodebaseException($"git {list.FirstOrDefault()} failed: {result.Error}");
    }
}
