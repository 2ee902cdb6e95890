using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace SleepTime.Benchmarks;

/// <summary>
/// Codebase sleep on a generated repository of 5,000 files (the fixture with filler modules) with an instant model that
/// makes <see cref="ToolCallsPerRun"/> read-only tool calls (list, read, search in turn) and then writes its memory: one
/// invocation is one whole exploration run, opening the commit included. Beside it, each tool's own latency, and what
/// one look of the server's <c>CodebaseWatcher</c> costs on the same files read as a directory on disk.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class CodebaseExploration
{
    public const int ToolCallsPerRun = 30;
    private string root = null!;
    private CodebaseFixture fixture = null!;
    private CodebaseTools tools = null!;
    private AIFunction list = null!;
    private AIFunction read = null!;
    private AIFunction search = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        root = Path.Combine(Path.GetTempPath(), "sleeptime-bench-codebase-" + Guid.NewGuid().ToString("N"));
        fixture = await CodebaseFixture.CreateAsync(root, fillerFiles: 5_000 - 16);
        var codebase = await Codebase.OpenAsync(root, fixture.BaseCommit);
        tools = new CodebaseTools(codebase);
        list = (AIFunction)tools.All.Single(t => t.Name == CodebaseTools.ListFiles);
        read = (AIFunction)tools.All.Single(t => t.Name == CodebaseTools.ReadFile);
        search = (AIFunction)tools.All.Single(t => t.Name == CodebaseTools.SearchCode);
        await list.InvokeAsync(new AIFunctionArguments());
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(root, recursive: true);

    [Benchmark(Description = "exploration run, 5,000 files, 30 tool calls, instant model")]
    public async Task<int> ExplorationRun()
    {
        var codebase = await Codebase.OpenAsync(root, fixture.BaseCommit);
        var result = await new CodebaseSleep(new InstantExplorer()).RunAsync(new CodebaseSleepInput("bench", 1, codebase, []), null, new CodebaseSleepOptions { MaxToolCalls = ToolCallsPerRun });
        return result.Sleep.Succeeded ? result.ToolCalls : throw new InvalidOperationException(result.Sleep.Error);
    }

    [Benchmark(Description = "list_files (a folder of 100, one page)")]
    public async Task<object?> List() => await list.InvokeAsync(new AIFunctionArguments(new Dictionary<string, object?> { ["path"] = "lib/pkg017" }));

    [Benchmark(Description = "directory on disk: list every file (5,000)")]
    public async Task<int> DirectoryList() => (await (await Codebase.OpenAsync(root)).ListAsync()).Count;

    [Benchmark(Description = "directory on disk: one watcher look, hash every file (5,000)")]
    public async Task<int> DirectoryManifest() => (await CodebaseManifest.ReadAsync(await Codebase.OpenAsync(root))).Files.Count;

    [Benchmark(Description = "read_file (a source file)")]
    public async Task<object?> Read() => await read.InvokeAsync(new AIFunctionArguments(new Dictionary<string, object?> { ["path"] = "app/routes/orders.py" }));

    [Benchmark(Description = "search_code (whole repository, one match)")]
    public async Task<object?> Search() => await search.InvokeAsync(new AIFunctionArguments(new Dictionary<string, object?> { ["pattern"] = "def helper_4321\\(" }));

    /// <summary>Answers at once: a list, a read and a search in turn until the tool budget, then the memory and finish.</summary>
    private sealed class InstantExplorer : IChatClient
    {
        private static readonly UsageDetails Usage = new() { InputTokenCount = 1000, OutputTokenCount = 20, TotalTokenCount = 1020 };
        private int calls;

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var n = calls++;
            List<AIContent> contents = n < ToolCallsPerRun
                ? [Call(n, (n % 3) switch
                {
                    0 => CodebaseTools.ListFiles,
                    1 => CodebaseTools.ReadFile,
                    _ => CodebaseTools.SearchCode,
                }, (n % 3) switch
                {
                    0 => new { path = $"lib/pkg{n % 49:D3}" },
                    1 => (object)new { path = $"lib/pkg{n % 49:D3}/module{(n % 49 * 100) + 7:D5}.py" },
                    _ => new { pattern = $"def helper_{n * 97}\\(" },
                })]
                : [Call(n, "rethink_memory", new { new_memory = "## Areas\n- lib: generated helpers\n- app: the shop" }), Call(n + 1, "finish_rethinking_memory", new { })];
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, contents)) { Usage = Usage, ModelId = "instant" });
        }

        private static FunctionCallContent Call(int n, string name, object arguments) =>
            new($"c{n}", name, JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(JsonSerializer.Serialize(arguments))!.ToDictionary(kv => kv.Key, kv => (object?)kv.Value));

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
