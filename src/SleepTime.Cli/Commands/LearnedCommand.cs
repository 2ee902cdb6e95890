using System.CommandLine;

namespace SleepTime.Cli.Commands;

/// <summary><c>sleeptime learned show|history|diff|provenance</c>: a context's learned context c' and its versions.</summary>
internal static class LearnedCommand
{
    public static Command Create()
    {
        var command = new Command("learned", "A context's learned context c': the current one, a version, its history, the diff between two versions.");

        var showId = Context();
        var version = new Option<long?>("--version") { Description = "This version instead of the current one." };
        var show = new Command("show", "Show the current learned context (or --version N).") { showId, version };
        show.SetAction((p, ct) => ApiCalls.PrintAsync(p, (c, token) => p.GetValue(version) is { } v
            ? c.Learned.GetVersionAsync(p.GetValue(showId)!, v, token)
            : c.Learned.GetCurrentAsync(p.GetValue(showId)!, token), ct));
        command.Subcommands.Add(show);

        var historyId = Context();
        var history = new Command("history", "Every learned-context version of a context, newest first.") { historyId };
        history.SetAction((p, ct) => ApiCalls.PrintAsync(p, (c, token) => c.Learned.HistoryAsync(p.GetValue(historyId)!, token), ct));
        command.Subcommands.Add(history);

        var diffId = Context();
        var from = new Option<long>("--from") { Description = "The older version.", Required = true };
        var to = new Option<long>("--to") { Description = "The newer version.", Required = true };
        var diff = new Command("diff", "The line diff between two versions (' ' unchanged, '-' only in --from, '+' only in --to).") { diffId, from, to };
        diff.SetAction((p, ct) => ApiCalls.PrintAsync(p, (c, token) => c.Learned.DiffAsync(p.GetValue(diffId)!, p.GetValue(from), p.GetValue(to), token), ct));
        command.Subcommands.Add(diff);

        var provenanceId = Context();
        var provenanceVersion = new Argument<long>("version") { Description = "The learned-context version." };
        var provenance = new Command("provenance", "What a version was made from: model, prompt version, context version, usage.") { provenanceId, provenanceVersion };
        provenance.SetAction((p, ct) => ApiCalls.PrintAsync(p, (c, token) => c.Learned.GetProvenanceAsync(p.GetValue(provenanceId)!, p.GetValue(provenanceVersion), token), ct));
        command.Subcommands.Add(provenance);
        return command;
    }

    private static Argument<string> Context() => new("context") { Description = "The context id." };
}
