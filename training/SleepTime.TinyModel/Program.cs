// sleeptime-tiny's training program (see DESIGN.md and models/sleeptime-tiny/MODEL_CARD.md).
//   smoke (CI, under a minute; loss must fall):
//     nice -n 19 dotnet run -c Release --project training/SleepTime.TinyModel -- --smoke --out /tmp/sleeptime-tiny-smoke.gguf
//   the committed model: two stages, see models/sleeptime-tiny/MODEL_CARD.md for the exact commands
using System.Globalization;
using SleepTime.TinyModel;
using SleepTime.TinyModel.Training;

var smoke = args.Contains("--smoke");
string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
int Number(string name, int fallback) => Value(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

var output = Value("--out") ?? Path.Combine(Path.GetTempPath(), smoke ? "sleeptime-tiny-smoke.gguf" : "sleeptime-tiny.gguf");
var vocabulary = CharVocabulary.Instance;
var config = smoke ? TinyModelConfig.Smoke(vocabulary.Count) : TinyModelConfig.Default(vocabulary.Count);
var learningRate = Value("--learning-rate") is { } rate ? float.Parse(rate, CultureInfo.InvariantCulture) : (smoke ? 3e-3f : 2e-3f);
var settings = smoke
    ? new TrainerSettings(Steps: Number("--steps", 12), BatchSize: Number("--batch", 4), LearningRate: learningRate, WarmupSteps: 2)
    : new TrainerSettings(Steps: Number("--steps", 1000), BatchSize: Number("--batch", 16), Threads: Number("--threads", 2), LearningRate: learningRate, WarmupSteps: Number("--warmup", 100));

// A second stage continues from a checkpoint's weights (fresh optimizer state) on generator seeds the first did not reach.
var resume = Value("--resume");
var seedOffset = Number("--seed-offset", 0);
var stopAfter = Number("--stop-after", int.MaxValue); // stop early on the same schedule (stage 1 of the committed model)
var checkpointEvery = Number("--checkpoint-every", smoke ? 0 : 250);
var log = Value("--log");

// --score all: the prompt's tokens are targets too (see TrainingData).
using var session = TrainingSession.Open(config, seedOffset, scoreWholeTranscript: Value("--score") == "all", sleepWeight: Number("--sleep-weight", 1));
if (args.Contains("--sample"))
{
    var transcripts = await session.Corpus.TranscriptsAsync(TrainingSeeds.First, contexts: Number("--contexts", 2));
    foreach (var t in transcripts)
    {
        Console.WriteLine($"=== {t.Kind} ({t.Prompt.Length + t.Reply.Length} characters)\n{t.Prompt}{t.Reply}");
    }

    var lengths = transcripts.Select(t => session.Data.Tokenize(t).Tokens.Length).Order().ToList();
    Console.WriteLine($"tokens: median {lengths[lengths.Count / 2]}, 95th {lengths[lengths.Count * 95 / 100]}, max {lengths[^1]}");
    return 0;
}

if (Value("--generate") is { } generating)
{
    var generator = new Transformer(config, GgufReader.ReadTensors(generating));
    var held = await session.Corpus.HeldOutTranscriptsAsync(Number("--probe-seed", 7), Number("--contexts", 3));
    foreach (var t in held.Where(t => t.Kind == (Value("--kind") ?? "sleep")).Take(Number("--count", 4)))
    {
        var tokens = session.Model.Tokenize(t.Prompt, true).ToList();
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < 80; i++)
        {
            var logits = generator.Logits(tokens);
            var lastRow = logits.AsSpan(logits.Length - vocabulary.Count);
            var next = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(lastRow);
            if (next == vocabulary.TurnEndId)
            {
                break;
            }

            tokens.Add(next);
            text.Append(vocabulary.Tokens[next] == "\u2581" ? " " : vocabulary.Tokens[next]);
        }

        Console.WriteLine($"--- {t.Kind}\n{t.Prompt[^Math.Min(t.Prompt.Length, 260)..]}\n>>> expected:\n{t.Reply}\n>>> generated:\n{text}");
    }

    return 0;
}

if (args.Contains("--reply-lengths"))
{
    // What a perfect model would write on held-out problems: mean reply characters (= tokens) per arm.
    var problems = new SleepTime.Bench.Generation.WordProblemGenerator().Generate(Number("--probe-seed", 7), 18, 2, 2);
    foreach (var (name, verbosity, learned) in new[] { ("baseline:v=0", 0, false), ("baseline:v=1", 1, false), ("baseline:v=2", 2, false), ("baseline:v=3", 3, false), ("baseline:v=4", 4, false), ("sleep:v=0", 0, true), ("sleep:v=1", 1, true), ("sleep:v=2", 2, true) })
    {
        var lengths = problems.SelectMany(c => c.Questions.Select(q => CorpusBuilder.Reply(c, q, verbosity, learned, CorpusBuilder.LearnedContext(c, c.Text) + "\n" + c.Text + "\n" + q.Text).Length + 1)).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {lengths.Average():0.0}"));
    }

    return 0;
}

if (Value("--probe") is { } probed)
{
    var probeModel = new Transformer(config, GgufReader.ReadTensors(probed));
    foreach (var (kind, (loss, count)) in DigitProbe.Measure(probeModel, session.Data, session.Corpus, seed: Number("--probe-seed", 7), contexts: Number("--contexts", 18)).OrderBy(k => k.Key, StringComparer.Ordinal))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kind,-8} {loss:0.000} nats over {count} characters"));
    }

    return 0;
}

var weights = resume is null ? TinyModelFile.Initialize(config, TrainingSeeds.Initialization) : GgufReader.ReadTensors(resume);
var model = new Transformer(config, weights);
var trainer = new Trainer(model, session.Data, settings);
void Write(string line)
{
    Console.WriteLine(line);
    if (log is not null)
    {
        File.AppendAllText(log, line + Environment.NewLine);
    }
}

Write($"model: {config} = {config.ParameterCount:N0} parameters, seed {TrainingSeeds.Initialization}; {settings}; " + (resume is null ? "initialised" : $"resumed from {resume}") + $", generator seeds from {TrainingSeeds.First + seedOffset}");
var first = double.NaN;
var last = double.NaN;
foreach (var report in trainer.Run())
{
    first = double.IsNaN(first) ? report.Loss : first;
    last = report.Loss;
    if (smoke || report.Step % 10 == 0 || report.Step == 1)
    {
        Write(Trainer.Format(report, trainer.LearningRate(report.Step)) + $" seeds {session.Data.SeedsUsed} dropped {session.Data.Dropped}");
    }

    if (checkpointEvery > 0 && report.Step % checkpointEvery == 0)
    {
        TinyModelFile.Save(output, "sleeptime-tiny", config, vocabulary, weights);
        File.Copy(output, output + $".step{report.Step}", overwrite: true);
        Write($"checkpoint: step {report.Step} -> {output}");
    }

    if (report.Step >= stopAfter)
    {
        break;
    }
}

TinyModelFile.Save(output, smoke ? "sleeptime-tiny (smoke)" : "sleeptime-tiny", config, vocabulary, weights);
Write($"wrote {output}; loss {first:0.000} -> {last:0.000}");
if (smoke && !(last < first))
{
    Console.Error.WriteLine("smoke: the loss did not fall.");
    return 1;
}

return 0;
