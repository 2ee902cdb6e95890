using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>
/// One sleep-time run of Letta's line-edit strategy: the blocks (with line numbers) and the new material go in, memory
/// edits come back as tool calls and are applied to working copies (see <see cref="MemoryTools"/>). The result is the
/// proposed changes; nothing touches the stored blocks.
/// </summary>
public sealed class SleepTimeAgentLoop(IChatClient model, SleepTimeLoopOptions? options = null, ITokenCounter? tokenCounter = null, TimeProvider? timeProvider = null)
{
    private readonly SleepTimeLoopOptions options = options ?? new SleepTimeLoopOptions();
    private readonly UsageMeter meter = new(tokenCounter ?? O200kTokenCounter.Instance);
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    public async Task<SleepTimeOutcome> RunAsync(SleepTimeInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var systemPrompt = PromptLibrary.Default.Get("sleep-time-agent");
        var tools = new MemoryTools(input.Blocks);
        ChatMessage[] messages =
        [
            new(ChatRole.System, systemPrompt.Render(("date", FormatDate(time.GetUtcNow())), ("confirmed_marker", ConfirmedLines.Marker))),
            new(ChatRole.User, RenderInput(input)),
        ];
        var chatOptions = new ChatOptions { Tools = tools.All, ToolMode = ChatToolMode.Auto, MaxOutputTokens = options.MaxOutputTokens };
        var loop = new SleepLoop(model, meter, new TokenBudget(options.MaxTotalTokens), options.MaxModelCalls, options.MaxReminders);
        var run = await loop.RunAsync(messages, chatOptions, tools, cancellationToken).ConfigureAwait(false);
        var failure = run.Verdict(tools.Edited, tools.Finished);
        return new SleepTimeOutcome(failure is null, failure is null ? tools.Changes() : [], run.Usage, run.Model, systemPrompt.ToString(),
            run.ModelCalls, run.ToolErrors, tools.Finished, failure?.Error, failure?.Reason);
    }

    public static string FormatDate(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyy-MM-dd (dddd)", CultureInfo.InvariantCulture);

    private static string RenderInput(SleepTimeInput input)
    {
        var blocks = new StringBuilder();
        foreach (var block in input.Blocks)
        {
            blocks.Append(CultureInfo.InvariantCulture, $"<block label=\"{block.Label}\" characters=\"{block.Value.Length}/{block.Limit}\"{(block.ReadOnly ? " read_only=\"true\"" : "")}>\n");
            if (!string.IsNullOrWhiteSpace(block.Description))
            {
                blocks.Append("Description: ").Append(block.Description).Append('\n');
            }

            blocks.Append(BlockText.WithLineNumbers(block.Value)).Append("\n</block>\n");
        }

        var transcript = new StringBuilder();
        foreach (var message in input.Messages)
        {
            transcript.Append(CultureInfo.InvariantCulture, $"[{message.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC] {message.Role.Value}: {message.Text}\n");
        }

        var documents = new StringBuilder();
        foreach (var document in input.Documents)
        {
            documents.Append(CultureInfo.InvariantCulture, $"<document title=\"{document.Title}\" added=\"{document.AddedAt.UtcDateTime:yyyy-MM-dd}\">\n{document.Text}\n</document>\n");
        }

        return PromptLibrary.Default.Get("sleep-time-agent-input").Render(
            ("blocks", blocks.Length == 0 ? "(no blocks)" : blocks.ToString().TrimEnd()),
            ("transcript", transcript.Length == 0 ? "(none)" : transcript.ToString().TrimEnd()),
            ("documents", documents.Length == 0 ? "(none)" : documents.ToString().TrimEnd()));
    }
}
