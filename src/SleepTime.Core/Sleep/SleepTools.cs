using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>The paper's two tools, bound to one run's memory: <c>rethink_memory</c> replaces it whole, <c>finish_rethinking_memory</c> ends the run.</summary>
internal sealed class SleepTools : ISleepLoopState
{
    public const string Rethink = "rethink_memory";
    public const string Finish = "finish_rethinking_memory";

    private readonly SleepOptions options;

    public SleepTools(SleepOptions options, string? startingMemory)
    {
        this.options = options;
        Memory = startingMemory;
        All =
        [
            new SleepTool(Rethink, "Replace the whole learned context with new_memory. Pass the complete text every time.",
                SleepTool.Schema(["new_memory"], ("new_memory", "string", "The complete new learned context.")), RethinkMemory),
            new SleepTool(Finish, "Call when the learned context is complete and checked.", SleepTool.Schema([]), FinishRethinking),
        ];
    }

    /// <summary>The tools as every run declares them, for checks over everything the project offers a model (e.g. local grammars).</summary>
    internal static IList<AITool> Declared { get; } = new SleepTools(new SleepOptions(), null).All;

    public IList<AITool> All { get; }

    public string? Memory { get; private set; }

    /// <summary>True once a <c>rethink_memory</c> call was accepted.</summary>
    public bool Wrote => Rethinks > 0;

    public int Rethinks { get; private set; }

    public bool Finished { get; private set; }

    public bool Done => Finished || Rethinks >= options.MaxRethinks;

    /// <summary>Whether the last refused <c>rethink_memory</c> was refused for being over the block limit.</summary>
    public bool LastRefusalOverLimit { get; private set; }

    /// <summary>Why a memory text cannot be the learned context, or null when it can.</summary>
    public static string? Refusal(string? memory, int limit) =>
        string.IsNullOrEmpty(memory) ? "the new memory is empty; write the complete learned context."
        : memory.Length > limit ? $"the new memory is {memory.Length} characters, over the limit of {limit}; write a shorter version."
        : null;

    /// <summary>Writing memory then replying in prose is an implicit finish; a model that wrote nothing yet is nudged.</summary>
    public string? FollowUp(ChatResponse reply) => Wrote ? null : PromptLibrary.Default.Get("sleep-nudge").Text;

    private string RethinkMemory(AIFunctionArguments arguments)
    {
        if (Rethinks >= options.MaxRethinks)
        {
            return SleepTool.Error($"the limit of {options.MaxRethinks} rethinks is reached. Call {Finish}.");
        }

        var memory = ToolArguments.ReadString(arguments, "new_memory")?.Trim();
        LastRefusalOverLimit = memory?.Length > options.BlockLimit;
        if (Refusal(memory, options.BlockLimit) is { } refusal)
        {
            return SleepTool.Error(refusal);
        }

        Memory = memory!;
        Rethinks++;
        return $"Memory updated ({Memory.Length} of {options.BlockLimit} characters).";
    }

    private string FinishRethinking(AIFunctionArguments arguments)
    {
        Finished = true;
        return "Finished.";
    }
}
