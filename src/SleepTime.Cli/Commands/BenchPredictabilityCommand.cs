using System.CommandLine;
using SleepTime.Bench.Datasets;
using SleepTime.Bench.Predictability;
using SleepTime.Bench.Running;

namespace SleepTime.Cli.Commands;

/// <summary>
/// <c>sleeptime bench predictability DIR --endpoint URL --model M</c>: scores log P(question | context) for the run's
/// questions with an OpenAI-compatible completions endpoint that echoes prompt log-probabilities (vLLM; llama.cpp's server does not echo them).
/// </summary>
internal static class BenchPredictabilityCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "A `bench run` results folder." };
        var endpoint = UriOption.Create("--endpoint", "Base URL of the completions server, e.g. http://localhost:8000/v1.", required: true);
        var model = new Option<string>("--model") { Description = "Scoring model id.", Required = true };
        var apiKeyEnv = new Option<string?>("--api-key-env") { Description = "Environment variable holding the API key." };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight.", DefaultValueFactory = _ => 4 };
        var command = new Command("predictability", "Score how predictable each question is from its context; `bench report` then bins them.") { folder, endpoint, model, apiKeyEnv, concurrency };
        command.SetAction((parse, cancellationToken) => BenchCommand.Guard(async () =>
        {
            var path = parse.GetValue(folder)!;
            var configuration = RunConfiguration.TryLoad(path) ?? throw new FileNotFoundException($"{path} holds no {RunConfiguration.FileName}.");
            var dataset = BenchSession.Select(BenchDatasets.Read(configuration.Dataset), configuration);
            var key = parse.GetValue(apiKeyEnv) is { } variable ? Environment.GetEnvironmentVariable(variable) : null;
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
            var scored = await PredictabilityFile.ScoreAsync(dataset, new CompletionsLikelihood(http, parse.GetValue(endpoint)!, parse.GetValue(model)!, key), path, parse.GetValue(concurrency), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"Scored {scored} questions into {Path.Combine(path, PredictabilityFile.FileName)}; run `sleeptime bench report {path}`.");
            return 0;
        }));
        return command;
    }
}
