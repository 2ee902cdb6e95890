using System.CommandLine;
using SleepTime.Bench.Datasets.Memory;
using SleepTime.Bench.Generation;

namespace SleepTime.Cli.Commands;

/// <summary><c>sleeptime bench generate</c>: seeded Multi-Query word problems with exact answers.</summary>
internal static class BenchGenerateCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "JSONL file to write (Stateful GSM-Symbolic format plus steps).", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed; the same seed gives the same problems.", DefaultValueFactory = _ => 1 };
        var contexts = new Option<int>("--contexts") { Description = "Number of contexts.", DefaultValueFactory = _ => 100 };
        var min = new Option<int>("--min-questions") { Description = "Fewest questions per context.", DefaultValueFactory = _ => 1 };
        var max = new Option<int>("--max-questions") { Description = "Most questions per context.", DefaultValueFactory = _ => 10 };
        var fromContextOnly = new Option<bool>("--from-context-only") { Description = "Only questions the context alone answers (no numbers of their own), as in the paper's Stateful GSM-Symbolic; a context then gets at most as many questions as its template has of them." };
        var format = new Option<string>("--format") { Description = "gsm: word problems (default); longmemeval: made-up chat histories in LongMemEval's layout, one question per context, for measuring the harness at that scale.", DefaultValueFactory = _ => "gsm" };
        format.AcceptOnlyFromAmong("gsm", "longmemeval");
        var contextTokens = new Option<int>("--context-tokens") { Description = "longmemeval: about how many tokens of history per question (longmemeval_s: ~115,000).", DefaultValueFactory = _ => 115_000 };

        var command = new Command("generate", $"Generate word problems from {WordProblemTemplates.All.Count} built-in templates, or LongMemEval-shaped histories.") { output, seed, contexts, min, max, fromContextOnly, format, contextTokens };
        command.SetAction(parse => BenchCommand.Guard(() =>
        {
            if (parse.GetValue(format) == "longmemeval")
            {
                SyntheticLongMemEval.Write(parse.GetValue(output)!, parse.GetValue(seed), parse.GetValue(contexts), parse.GetValue(contextTokens));
                Console.WriteLine($"Wrote {parse.GetValue(contexts)} LongMemEval-shaped questions of ~{parse.GetValue(contextTokens):N0} tokens of history each to {parse.GetValue(output)}.");
                return Task.FromResult(0);
            }

            if (parse.GetValue(contexts) < 1 || parse.GetValue(min) < 1 || parse.GetValue(max) < parse.GetValue(min))
            {
                throw new SleepTimeValidationException("questions", "Need --contexts >= 1 and 1 <= --min-questions <= --max-questions.");
            }

            var templates = parse.GetValue(fromContextOnly) ? WordProblemTemplates.FromContextOnly : WordProblemTemplates.All;
            var generated = new WordProblemGenerator(templates).Generate(parse.GetValue(seed), parse.GetValue(contexts), parse.GetValue(min), parse.GetValue(max)).ToList();
            WordProblemGenerator.WriteJsonl(parse.GetValue(output)!, generated);
            Console.WriteLine($"Wrote {generated.Count} contexts with {generated.Sum(c => c.Questions.Count)} questions to {parse.GetValue(output)}.");
            return Task.FromResult(0);
        }));
        return command;
    }
}
