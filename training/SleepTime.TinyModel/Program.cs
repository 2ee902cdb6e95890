// sleeptime-tiny's training program (skeleton; see DESIGN.md). Today it builds a corpus sample from the training
// seeds, initialises the model with the fixed seed, writes it as GGUF and loads it back through the local provider.
//   nice -n 19 dotnet run -c Release --project training/SleepTime.TinyModel -- --smoke --out /tmp/sleeptime-tiny-untrained.gguf
using System.Diagnostics;
using Microsoft.Extensions.AI;
using SleepTime.Providers.Local;
using SleepTime.Providers.Local.LogProbabilities;
using SleepTime.TinyModel;

var output = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "sleeptime-tiny-untrained.gguf");
if (!args.Contains("--smoke"))
{
    Console.Error.WriteLine("Training is not implemented yet (see training/SleepTime.TinyModel/DESIGN.md); run with --smoke to check the pipeline.");
    return 2;
}

var clock = Stopwatch.StartNew();
var vocabulary = CharVocabulary.Instance;
var config = TinyModelConfig.Default(vocabulary.Count);
var corpus = new CorpusBuilder().Transcripts(TrainingSeeds.First, contexts: 20).ToList();
var characters = corpus.Sum(t => t.Length);
var unknown = corpus.Sum(t => vocabulary.Encode(t).Count(id => id == CharVocabulary.Unknown));
Console.WriteLine($"corpus sample: {corpus.Count} transcripts, {characters:N0} characters, {unknown} outside the vocabulary");
Console.WriteLine($"model: {config} = {config.ParameterCount:N0} parameters ({config.ParameterCount * 4 / 1048576.0:0.0} MB in f32), seed {TrainingSeeds.Initialization}");

TinyModelFile.Save(output, "sleeptime-tiny (untrained)", config, vocabulary, TinyModelFile.Initialize(config, TrainingSeeds.Initialization));
using var model = LocalModel.Load(new LocalModelSettings(output, config.ContextLength, Threads: 1, MaxContexts: 1));
using var client = new LocalChatClient(model, "sleeptime-tiny");
var reply = await client.GetResponseAsync("What is 3 + 4?", new ChatOptions { Temperature = 0, MaxOutputTokens = 16 });
var logProbabilities = await new LocalPromptLogProbabilities(model).GetLogProbabilitiesAsync("Tom has 3 apples.\n", "How many apples?");
Console.WriteLine($"wrote {output} ({new FileInfo(output).Length / 1024.0:0} KiB); llama.cpp loaded it: {model.VocabularySize} tokens, context {model.ContextSize}");
Console.WriteLine($"untrained reply ({reply.Usage!.OutputTokenCount} tokens, {reply.FinishReason}): {reply.Text}");
Console.WriteLine($"mean log-probability per token of a question, untrained: {logProbabilities.Average():0.000} (uniform: {-Math.Log(vocabulary.Count):0.000})");
Console.WriteLine($"done in {clock.Elapsed.TotalSeconds:0.0} s");
return 0;
