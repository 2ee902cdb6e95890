using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>
/// The sleep phase <c>S(c) -> c'</c>: runs <c>k</c> independent sleep runs over a context and builds the next
/// learned context from their memories. It stores nothing: the caller commits the result.
/// </summary>
public sealed class SleepPhase
{
    private readonly IChatClient model;
    private readonly UsageMeter meter;
    private readonly PromptLibrary prompts;
    private readonly TimeProvider time;

    public SleepPhase(IChatClient model, ITokenCounter? tokenCounter = null, PromptLibrary? prompts = null, TimeProvider? timeProvider = null)
    {
        this.model = model ?? throw new ArgumentNullException(nameof(model));
        meter = new UsageMeter(tokenCounter ?? O200kTokenCounter.Instance);
        this.prompts = prompts ?? PromptLibrary.Default;
        time = timeProvider ?? TimeProvider.System;
    }

    public async Task<SleepResult> RunAsync(ContextSnapshot context, LearnedContext? previous, SleepOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        options ??= new SleepOptions();
        options.Validate();
        var started = Stopwatch.GetTimestamp();

        if (context.Entries.All(e => string.IsNullOrWhiteSpace(e.Text)))
        {
            throw new SleepTimeValidationException("context", $"Context '{context.Id}' is empty: there is nothing to learn.");
        }

        if (previous is not null && previous.Provenance.SourceVersion >= context.Version && !options.Force)
        {
            return new SleepResult(context.Id, SleepStatus.Skipped, null, [], TokenUsage.Zero, Stopwatch.GetElapsedTime(started),
                Error: $"The learned context (version {previous.Version}) already covers context version {context.Version}.");
        }

        var incremental = options.Incremental
            && previous is not null
            && previous.Blocks.Count == options.Runs
            && previous.Provenance.SourceVersion < context.Version
            && context.CanExtend(previous.Provenance.SourceVersion);

        var template = prompts.Get(VariantPromptId(options.Variant));
        var system = template.Render(("mode_instructions", ModeInstructions(options)));

        var budget = new TokenBudget(options.MaxTotalTokens);
        var runs = Enumerable.Range(0, options.Runs).Select(async index =>
        {
            var input = incremental
                ? prompts.Get("sleep-incremental-input").Render(
                    ("learned_context", previous!.Blocks[index].Value),
                    ("new_context", context.RenderAfter(previous.Provenance.SourceVersion)))
                : prompts.Get("sleep-input").Render(("context", context.Render()));
            var startingMemory = incremental ? previous!.Blocks[index].Value : null;
            return await new SleepRun(model, meter, budget, options, index).RunAsync(system, input, startingMemory, cancellationToken).ConfigureAwait(false);
        });
        var outcomes = await Task.WhenAll(runs).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        var reports = outcomes.Select(o => o.Report).ToList();
        var usage = TokenUsage.Sum(reports.Select(r => r.Usage));
        var duration = Stopwatch.GetElapsedTime(started);

        if (reports.FirstOrDefault(r => !r.Succeeded) is { } failed)
        {
            var error = options.Runs == 1 ? failed.Error : $"Run {failed.Index + 1} of {options.Runs} failed: {failed.Error}";
            return new SleepResult(context.Id, SleepStatus.Failed, null, reports, usage, duration, failed.FailureReason, error);
        }

        var version = (previous?.Version ?? 0) + 1;
        var now = time.GetUtcNow();
        var modelId = reports.Select(r => r.Model).FirstOrDefault(m => m is not null) ?? model.GetService<ChatClientMetadata>()?.DefaultModelId;
        var blocks = outcomes
            .Select((o, i) => Block.OfLearned(context.Id, options.Runs == 1 ? options.BlockLabel : $"{options.BlockLabel}_{i + 1}", o.Memory!, options.BlockLimit, version, now, "sleep:" + (modelId ?? "model")))
            .ToList();
        var learned = new LearnedContext(
            context.Id,
            version,
            blocks,
            new LearnedContextProvenance(
                context.Version,
                modelId,
                template.Id,
                template.Version,
                options.Runs,
                incremental,
                previous?.Version,
                usage,
                now));
        return new SleepResult(context.Id, SleepStatus.Succeeded, learned, reports, usage, duration);
    }

    private string ModeInstructions(SleepOptions options) => options.Mode == SleepMode.Tools
        ? prompts.Get("sleep-tools").Render(("block_limit", options.BlockLimit.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)), ("max_rethinks", options.MaxRethinks.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        : prompts.Get("sleep-plain-text").Render(("block_limit", options.BlockLimit.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)));

    private static string VariantPromptId(SleepPromptVariant variant) => variant switch
    {
        SleepPromptVariant.Math => "sleep-math",
        SleepPromptVariant.PartialProblem => "sleep-partial",
        _ => "sleep-general",
    };
}
