using System.CommandLine;
using SleepTime.Bench.Datasets;
using SleepTime.Bench.MultiQuery;

namespace SleepTime.Cli.Commands;

/// <summary>
/// <c>sleeptime bench multiquery --dataset IN --out OUT --questions N --model M [--endpoint URL]</c>: extends a stateful
/// data set with model-written questions per context (the paper's Multi-Query recipe).
/// </summary>
internal static class BenchMultiQueryCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "A stateful GSM-Symbolic or AIME JSONL file.", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write the extended JSONL.", Required = true };
        var questions = new Option<int>("--questions") { Description = "New questions to ask for per context.", DefaultValueFactory = _ => 5 };
        var limit = new Option<int?>("--limit") { Description = "Only the first N contexts." };
        var concurrency = new Option<int>("--concurrency") { Description = "Model calls in flight.", DefaultValueFactory = _ => 4 };
        var models = new BenchModelOptions();
        var command = new Command("multiquery", "Add model-written questions of the same difficulty to each context (the paper's Multi-Query recipe); uses the test model.")
        {
            dataset, output, questions, limit, concurrency,
        };
        models.AddTo(command);
        command.SetAction((parse, cancellationToken) => BenchCommand.Guard(async () =>
        {
            var source = StatefulDatasetReader.Read(parse.GetValue(dataset)!);
            if (parse.GetValue(limit) is { } count)
            {
                source = source with { Contexts = source.Contexts.Take(Math.Max(0, count)).ToList() };
            }

            var (_, _, model, modelName) = models.Create(parse);
            var result = await new MultiQueryGenerator(model).GenerateAsync(source, parse.GetValue(questions), parse.GetValue(concurrency), cancellationToken).ConfigureAwait(false);
            MultiQueryGenerator.Write(parse.GetValue(output)!, result.Dataset);
            Console.WriteLine(
                $"Wrote {result.Dataset.QuestionCount} questions ({result.Added} new from {modelName}, {result.Rejected} proposals dropped) " +
                $"for {result.Dataset.Contexts.Count} contexts to {parse.GetValue(output)}; {result.ContextsShort} contexts got fewer than asked, {result.ContextsFailed} calls failed; " +
                $"{result.Usage.InputTokens:N0} input and {result.Usage.OutputTokens:N0} output tokens.");
            if (result.FirstError is not null)
            {
                Console.Error.WriteLine($"first failure: {result.FirstError}");
            }

            return result.ContextsFailed == result.Dataset.Contexts.Count && result.Dataset.Contexts.Count > 0 ? 1 : 0;
        }));
        return command;
    }
}
