using System.CommandLine;
using SleepTime.Bench.Datasets;
using SleepTime.Bench.Predictability;
using SleepTime.Bench.Running;
using SleepTime.Providers;
using SleepTime.Providers.Local;

namespace SleepTime.Cli.Commands;

/// <summary>
/// <c>sleeptime bench predictability DIR --endpoint URL --model M</c>: scores log P(question | context) for the run's
/// questions with an OpenAI-compatible completions endpoint that echoes prompt log-probabilities (vLLM; llama.cpp's server does not echo them),
/// or <c>--provider local --model FILE.gguf</c>: with a model in this process, no server needed.
/// </summary>
internal static class BenchPredictabilityCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "A `bench run` results folder." };
        var endpoint = UriOption.Create("--endpoint", "Base URL of the completions server, e.g. http://localhost:8000/v1 (not with --provider local).");
        var provider = new Option<ProviderKind>("--provider") { Description = "OpenAICompatible: a completions server at --endpoint; Local: the GGUF file named by --model, in this process.", DefaultValueFactory = _ => ProviderKind.OpenAICompatible };
        var model = new Option<string>("--model") { Description = "Scoring model id; with --provider local, the GGUF file.", Required = true };
        var contextSize = new Option<int?>("--context-size") { Description = "With --provider local: tokens per context (default: the model's training length); a context and question longer than it cannot be scored." };
        var apiKeyEnv = new Option<string?>("--api-key-env") { Description = "Environment variable holding the API key." };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight.", DefaultValueFactory = _ => 4 };
        var command = new Command("predictability", "Score how predictable each question is from its context; `bench report` then bins them.") { folder, endpoint, provider, model, contextSize, apiKeyEnv, concurrency };
        command.SetAction((parse, cancellationToken) => BenchCommand.Guard(async () =>
        {
            var path = parse.GetValue(folder)!;
            var configuration = RunConfiguration.TryLoad(path) ?? throw new FileNotFoundException($"{path} holds no {RunConfiguration.FileName}.");
            var dataset = BenchSession.Select(BenchDatasets.Read(configuration.Dataset), configuration);
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
            var scored = await PredictabilityFile.ScoreAsync(dataset, Likelihood(parse, http), path, parse.GetValue(concurrency), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"Scored {scored} questions into {Path.Combine(path, PredictabilityFile.FileName)}; run `sleeptime bench report {path}`.");
            return 0;
        }));
        return command;

        IQuestionLikelihood Likelihood(ParseResult parse, HttpClient http)
        {
            if (parse.GetValue(provider) == ProviderKind.Local)
            {
                if (parse.GetValue(endpoint) is not null)
                {
                    throw new SleepTimeValidationException("endpoint", "--provider local scores with the GGUF file named by --model in this process; leave out --endpoint.");
                }

                var options = new ModelEndpointOptions { Provider = ProviderKind.Local, ModelPath = parse.GetValue(model), Threads = 1, ContextSize = parse.GetValue(contextSize) };
                var errors = options.GetValidationErrors();
                if (errors.Count > 0)
                {
                    throw new SleepTimeValidationException("model", string.Join(" ", errors));
                }

                if (!File.Exists(options.ModelPath))
                {
                    throw new SleepTimeValidationException("model", $"The model file {options.ModelPath} does not exist.");
                }

                return new BenchLocalLikelihood(LocalModels.Shared.CreateLogProbabilities(options));
            }

            if (parse.GetValue(provider) != ProviderKind.OpenAICompatible)
            {
                throw new SleepTimeValidationException("provider", $"Predictability is scored by an OpenAI-compatible completions server (--endpoint) or a local GGUF file (--provider local), not by {parse.GetValue(provider)}.");
            }

            var url = parse.GetValue(endpoint) ?? throw new SleepTimeValidationException("endpoint", "Give --endpoint (a completions server that echoes prompt log-probabilities), or --provider local --model FILE.gguf.");
            var key = parse.GetValue(apiKeyEnv) is { } variable ? Environment.GetEnvironmentVariable(variable) : null;
            return new CompletionsLikelihood(http, url, parse.GetValue(model)!, key);
        }
    }
}
