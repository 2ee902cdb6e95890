using System.Text.Json;
using SleepTime.Testing.OpenAiCompatible;

namespace SleepTime.Cli.Tests;

/// <summary>The <c>sleeptime bench</c> commands run in-process, with models behind a real OpenAI-compatible endpoint.</summary>
public sealed class BenchCommandsTests : IAsyncLifetime, IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "sleeptime-cli-" + Guid.NewGuid().ToString("N"));
    private FakeOpenAiServer server = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        server = await FakeOpenAiServer.StartAsync();
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task Multiquery_extends_a_data_set_through_the_configured_endpoint()
    {
        var dataset = Path.Combine(folder, "in.jsonl");
        var output = Path.Combine(folder, "out.jsonl");
        await File.WriteAllTextAsync(dataset, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["stateful_gsm_symbolic_context"] = "A farm has 4 pens with 6 goats each.",
            ["stateful_gsm_symbolic_question"] = "How many goats are there?",
            ["answer"] = "4 * 6 = 24\n#### 24",
        }) + "\n");
        server.Responder = _ => FakeReply.Text("Question: How many goats in two pens?\nAnswer: 2 * 6 #### 12\nQuestion: How many legs do the goats have?\nAnswer: 24 * 4 #### 96");

        var exit = await CliApp.RunAsync(["bench", "multiquery", "--dataset", dataset, "--out", output, "--questions", "2", "--endpoint", server.BaseUrl.ToString(), "--model", "question-writer"]);

        Assert.Equal(0, exit);
        var rows = File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["How many goats are there?", "How many goats in two pens?", "How many legs do the goats have?"], rows.Select(r => r.GetProperty("stateful_gsm_symbolic_question").GetString()));
        Assert.Equal("#### 96", rows[2].GetProperty("answer").GetString());
        Assert.Equal("question-writer", Assert.Single(server.ChatRequests).Model);
    }

    [Fact]
    public async Task A_bench_run_against_an_endpoint_answers_every_question_and_writes_a_report()
    {
        var dataset = Path.Combine(folder, "gen.jsonl");
        var results = Path.Combine(folder, "run");
        Assert.Equal(0, await CliApp.RunAsync(["bench", "generate", "--out", dataset, "--seed", "5", "--contexts", "2", "--min-questions", "2", "--max-questions", "2"]));
        server.Responder = request => request.Tools.Count > 0
            ? FakeReply.ToolCalls(("rethink_memory", """{"new_memory":"all quantities derived"}"""), ("finish_rethinking_memory", "{}"))
            : FakeReply.Text("The answer is 12.");

        var exit = await CliApp.RunAsync(["bench", "run", "--dataset", dataset, "--arms", "smoke", "--out", results, "--endpoint", server.BaseUrl.ToString(), "--model", "m"]);

        Assert.Equal(0, exit);
        Assert.True(File.Exists(Path.Combine(results, "report.md")));
        var records = File.ReadAllLines(Path.Combine(results, "results.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var answers = records.Where(r => r.GetProperty("type").GetString() == "answer").ToList();
        Assert.Equal(4 * 6, answers.Count);
        Assert.All(answers, a => Assert.Equal(JsonValueKind.Null, a.GetProperty("error").ValueKind));
        Assert.All(answers, a => Assert.Contains("The answer is 12.", a.GetProperty("reply").GetString(), StringComparison.Ordinal));
        Assert.Contains(records, r => r.GetProperty("type").GetString() == "sleep");
        Assert.Contains(server.ChatRequests, r => r.Tools.Count > 0);
    }

    [Fact]
    public async Task Generate_from_context_only_writes_only_questions_whose_every_step_the_context_determines()
    {
        var mixed = Path.Combine(folder, "mixed.jsonl");
        var fromContext = Path.Combine(folder, "context.jsonl");
        string[] common = ["bench", "generate", "--seed", "5", "--contexts", "18", "--min-questions", "6", "--max-questions", "6"];
        Assert.Equal(0, await CliApp.RunAsync([.. common, "--out", mixed]));
        Assert.Equal(0, await CliApp.RunAsync([.. common, "--out", fromContext, "--from-context-only"]));

        static List<JsonElement> Rows(string path) => [.. File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement)];
        static bool FromContext(JsonElement row) => row.GetProperty("steps").EnumerateArray().All(s => s.GetProperty("from_context_only").GetBoolean());
        var mixedRows = Rows(mixed);
        var contextRows = Rows(fromContext);
        Assert.Contains(mixedRows, r => !FromContext(r));
        Assert.All(contextRows, r => Assert.True(FromContext(r)));
        Assert.Equal(
            mixedRows.Where(FromContext).Select(r => r.GetProperty("stateful_gsm_symbolic_question").GetString()).Order(),
            contextRows.Select(r => r.GetProperty("stateful_gsm_symbolic_question").GetString()).Order());
        Assert.Equal(18, contextRows.Select(r => r.GetProperty("context_id").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task A_bench_run_sends_each_phase_its_temperature_and_seed_and_records_them()
    {
        var dataset = Path.Combine(folder, "gen.jsonl");
        var results = Path.Combine(folder, "run");
        Assert.Equal(0, await CliApp.RunAsync(["bench", "generate", "--out", dataset, "--seed", "5", "--contexts", "1", "--min-questions", "1", "--max-questions", "1"]));
        server.Responder = request => request.Tools.Count > 0
            ? FakeReply.ToolCalls(("rethink_memory", """{"new_memory":"derived"}"""), ("finish_rethinking_memory", "{}"))
            : FakeReply.Text("The answer is 12.");

        var exit = await CliApp.RunAsync(["bench", "run", "--dataset", dataset, "--arms", "sleep:k=2,v=0", "--out", results, "--endpoint", server.BaseUrl.ToString(), "--model", "m",
            "--sleep-temperature", "0.5", "--test-temperature", "none", "--sleep-seed", "40", "--test-seed", "7"]);

        Assert.Equal(0, exit);
        var sleeps = server.ChatRequests.Where(r => r.Tools.Count > 0).ToList();
        Assert.All(sleeps, r => Assert.Equal(0.5, r.Temperature!.Value, 3));
        Assert.Equal([40L, 41L], sleeps.Select(r => r.Body.GetProperty("seed").GetInt64()).Distinct().Order());
        var answer = Assert.Single(server.ChatRequests, r => r.Tools.Count == 0);
        Assert.Null(answer.Temperature);
        Assert.Equal(7, answer.Body.GetProperty("seed").GetInt64());
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(results, "config.json"))).RootElement;
        Assert.Equal(0.5, config.GetProperty("sleep_temperature").GetDouble());
        Assert.Equal(JsonValueKind.Null, config.GetProperty("test_temperature").ValueKind);
        Assert.Equal(40, config.GetProperty("sleep_seed").GetInt64());
        Assert.True(File.Exists(Path.Combine(results, "report.html")));
    }

    [Fact]
    public async Task A_rerun_on_an_edited_data_set_is_refused_with_the_reason_and_compare_pairs_two_folders()
    {
        var dataset = Path.Combine(folder, "gen.jsonl");
        var (first, second) = (Path.Combine(folder, "a"), Path.Combine(folder, "b"));
        Assert.Equal(0, await CliApp.RunAsync(["bench", "generate", "--out", dataset, "--seed", "5", "--contexts", "3", "--min-questions", "2", "--max-questions", "2"]));
        Assert.Equal(0, await CliApp.RunAsync(["bench", "run", "--dataset", dataset, "--arms", "baseline:v=0", "--out", first, "--fake"]));
        Assert.Equal(0, await CliApp.RunAsync(["bench", "run", "--dataset", dataset, "--arms", "baseline:v=0", "--out", second, "--fake", "--seed", "1"]));

        var compared = Path.Combine(folder, "compare.md");
        Assert.Equal(0, await CliApp.RunAsync(["bench", "compare", first, second, "--out", compared]));
        Assert.Contains("| `baseline:v=0` | `baseline:v=0` | 6 |", File.ReadAllText(compared), StringComparison.Ordinal);

        await File.WriteAllTextAsync(dataset, (await File.ReadAllTextAsync(dataset)).Replace("How many", "How many in all", StringComparison.Ordinal));
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(2, await CliApp.RunAsync(["bench", "run", "--dataset", dataset, "--arms", "baseline:v=0", "--out", first, "--fake"]));
        }
        finally
        {
            Console.SetError(previous);
        }

        Assert.Contains("the data set's content changed", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await CliApp.RunAsync(["bench", "run", "--dataset", dataset, "--arms", "baseline:v=0", "--out", first, "--fake", "--allow-changed"]));
    }

    [Fact]
    public async Task A_bench_run_over_LoCoMo_calls_the_judge_endpoint_for_every_answer()
    {
        var dataset = Path.Combine(folder, "locomo.json");
        var results = Path.Combine(folder, "run");
        await File.WriteAllTextAsync(dataset, """
            [{"qa": [{"question": "What instrument does Ana play?", "answer": "the cello", "category": 4},
                     {"question": "What is Ben's favourite colour?", "adversarial_answer": "green", "category": 5}],
              "conversation": {"speaker_a": "Ana", "speaker_b": "Ben", "session_1_date_time": "2 May, 2023",
                               "session_1": [{"speaker": "Ana", "dia_id": "D1:1", "text": "I play the cello."}]},
              "sample_id": "conv-1"}]
            """);
        server.Responder = request => request.Tools.Count > 0
            ? FakeReply.ToolCalls(("rethink_memory", """{"new_memory":"Ana plays the cello."}"""), ("finish_rethinking_memory", "{}"))
            : request.Model == "judge-model" ? FakeReply.Text(request.LastUserText!.Contains("Reference answer: the cello", StringComparison.Ordinal) ? "yes" : "no")
            : FakeReply.Text("The cello.");

        var exit = await CliApp.RunAsync(["bench", "run", "--dataset", dataset, "--arms", "sleep:k=1,v=0", "--out", results, "--endpoint", server.BaseUrl.ToString(), "--model", "m", "--judge", "judge-model"]);

        Assert.Equal(0, exit);
        Assert.Equal(2, server.ChatRequests.Count(r => r.Model == "judge-model"));
        var answers = File.ReadAllLines(Path.Combine(results, "results.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).Where(r => r.GetProperty("type").GetString() == "answer").ToList();
        Assert.Equal([true, false], answers.OrderBy(a => a.GetProperty("question_id").GetString()).Select(a => a.GetProperty("judged").GetBoolean()));
        var report = await File.ReadAllTextAsync(Path.Combine(results, "report.md"));
        Assert.Contains("| `sleep:k=1,v=0` | single-hop | 1 | 100.0% |", report, StringComparison.Ordinal);
        Assert.Contains("| `sleep:k=1,v=0` | adversarial | 1 | 0.0% |", report, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-url")]
    [InlineData("ftp://example.org/v1")]
    public async Task An_endpoint_that_is_not_an_http_url_is_refused_before_anything_runs(string endpoint)
    {
        var parse = CliApp.CreateRoot().Parse(["bench", "multiquery", "--dataset", "x.jsonl", "--out", "y.jsonl", "--endpoint", endpoint, "--model", "m"]);

        var error = Assert.Single(parse.Errors);
        Assert.Contains("--endpoint must be an absolute http or https URL", error.Message, StringComparison.Ordinal);
        Assert.NotEqual(0, await parse.InvokeAsync());
        Assert.Empty(server.Requests);
    }
}
