using System.CommandLine;
using System.Globalization;

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
        show.SetAction((p, ct) => ServerClient.SendAsync(p, HttpMethod.Get, Path(p, showId) + (p.GetValue(version) is { } v ? "/" + v.ToString(CultureInfo.InvariantCulture) : string.Empty), null, ct));
        command.Subcommands.Add(show);

        var historyId = Context();
        var history = new Command("history", "Every learned-context version of a context, newest first.") { historyId };
        history.SetAction((p, ct) => ServerClient.SendAsync(p, HttpMethod.Get, Path(p, historyId) + "/history", null, ct));
        command.Subcommands.Add(history);

        var diffId = Context();
        var from = new Option<long>("--from") { Description = "The older version.", Required = true };
        var to = new Option<long>("--to") { Description = "The newer version.", Required = true };
        var diff = new Command("diff", "The line diff between two versions (' ' unchanged, '-' only in --from, '+' only in --to).") { diffId, from, to };
        diff.SetAction((p, ct) => ServerClient.SendAsync(p, HttpMethod.Get, Path(p, diffId) + "/diff" + Query.Of(
            ("from", p.GetValue(from).ToString(CultureInfo.InvariantCulture)), ("to", p.GetValue(to).ToString(CultureInfo.InvariantCulture))), null, ct));
        command.Subcommands.Add(diff);

        var provenanceId = Context();
        var provenanceVersion = new Argument<long>("version") { Description = "The learned-context version." };
        var provenance = new Command("provenance", "What a version was made from: model, prompt version, context version, usage.") { provenanceId, provenanceVersion };
        provenance.SetAction((p, ct) => ServerClient.SendAsync(p, HttpMethod.Get, $"{Path(p, provenanceId)}/{p.GetValue(provenanceVersion).ToString(CultureInfo.InvariantCulture)}/provenance", null, ct));
        command.Subcommands.Add(provenance);
        return command;
    }

    private static Argument<string> Context() => new("context") { Description = "The context id." };

    private static string Path(ParseResult p, Argument<string> id) => $"api/contexts/{Uri.EscapeDataString(p.GetValue(id)!)}/learned";
}
