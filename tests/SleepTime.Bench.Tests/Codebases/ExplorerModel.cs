using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace SleepTime.Bench.Tests.Codebases;

/// <summary>
/// A scripted model that speaks the tool protocol of codebase sleep and codebase tasks, deterministically: it reads
/// each related change's first file, writes one memory line per change (title: files), lists the repository while
/// exploring; at test time it answers from the memory lines whose title shares the task's keyword, or, without a
/// learned context, searches for the keyword and names every non-test file that matches. Every call costs 100 + 20 tokens.
/// </summary>
internal sealed partial class ExplorerModel : IChatClient
{
    private static readonly string[] Keywords = ["product", "email", "user", "order"];
    private int callIds;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        await System.Threading.Tasks.Task.Yield();
        var list = messages.ToList();
        var system = list[0].Text;
        var user = list.First(m => m.Role == ChatRole.User).Text;
        var toolResults = list.Where(m => m.Role == ChatRole.Tool).SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(r => r.Result as string ?? string.Empty).ToList();
        return system.Contains("You are studying a software repository", StringComparison.Ordinal) ? Sleep(user, toolResults) : Answer(system, user, toolResults, options);
    }

    private ChatResponse Sleep(string user, List<string> toolResults)
    {
        var memory = Memory(user);
        if (user.Contains("Related change", StringComparison.Ordinal))
        {
            var files = ChangedFile().Matches(user).Select(m => m.Groups[1].Value).ToList();
            if (toolResults.Count == 0)
            {
                return Calls(("read_file", new { path = files[0] }));
            }

            var title = Title().Match(user).Groups[1].Value.Trim();
            return Calls(("rethink_memory", new { new_memory = (memory + $"\n- {title}: {string.Join(", ", files)}").Trim() }), ("finish_rethinking_memory", null));
        }

        return toolResults.Count == 0
            ? Calls(("list_files", new { path = "app" }))
            : Calls(("rethink_memory", new { new_memory = memory + "\n## Areas\n- app: routes, models, services" }), ("finish_rethinking_memory", null));
    }

    private ChatResponse Answer(string system, string user, List<string> toolResults, ChatOptions? options)
    {
        var keyword = Keywords.First(k => user.Contains(k, StringComparison.OrdinalIgnoreCase));
        if (system.Contains("<learned_context>", StringComparison.Ordinal))
        {
            var files = Memory(system).Split('\n')
                .Where(l => l.StartsWith("- ", StringComparison.Ordinal) && l.Contains(':', StringComparison.Ordinal) && l[..l.IndexOf(':', StringComparison.Ordinal)].Contains(keyword, StringComparison.OrdinalIgnoreCase))
                .SelectMany(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            return Answer(files);
        }

        if (toolResults.Count == 0 && options?.Tools is { Count: > 0 })
        {
            return Calls(("search_code", new { pattern = keyword }));
        }

        return Answer(toolResults.SelectMany(r => r.Split('\n')).Select(l => l.Split(':')[0]));
    }

    private static ChatResponse Answer(IEnumerable<string> files) =>
        Reply(new ChatMessage(ChatRole.Assistant, "These files.\nFILES:\n" + string.Join("\n", files.Where(f => f.Contains('/', StringComparison.Ordinal) && !f.StartsWith("tests/", StringComparison.Ordinal)).Distinct().Select(f => "- " + f))));

    private ChatResponse Calls(params (string Name, object? Arguments)[] calls) =>
        Reply(new ChatMessage(ChatRole.Assistant, calls.Select(c => (AIContent)new FunctionCallContent(
            $"call_{Interlocked.Increment(ref callIds)}", c.Name,
            c.Arguments is null ? new Dictionary<string, object?>() : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(JsonSerializer.Serialize(c.Arguments))!.ToDictionary(kv => kv.Key, kv => (object?)kv.Value))).ToList()));

    private static ChatResponse Reply(ChatMessage message) =>
        new(message) { ModelId = "explorer", Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 20, TotalTokenCount = 120 } };

    private static string Memory(string text)
    {
        var match = LearnedContext().Match(text);
        var memory = match.Success ? match.Groups[1].Value.Trim() : string.Empty;
        return memory.StartsWith("(empty", StringComparison.Ordinal) ? string.Empty : memory;
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    [GeneratedRegex(@"^- (\S+) \((?:added|modified|removed|renamed)\)$", RegexOptions.Multiline)]
    private static partial Regex ChangedFile();

    [GeneratedRegex(@"^Title: (.*)$", RegexOptions.Multiline)]
    private static partial Regex Title();

    [GeneratedRegex(@"<learned_context>\n(.*?)\n</learned_context>", RegexOptions.Singleline)]
    private static partial Regex LearnedContext();
}
