using SleepTime.Bench.Datasets;
using SleepTime.Bench.Running;
using SleepTime.Bench.Tests.Support;
using SleepTime.Testing;

namespace SleepTime.Bench.Tests.Running;

public sealed class BenchRunnerTests
{
    private static readonly IReadOnlyList<Arm> Arms = Arm.ParseList(["baseline:v=0", "sleep:k=1,v=0", "sleep:k=1,v=3"]);

    [Fact]
    public async Task One_sleep_per_context_serves_every_question_and_budget()
    {
        using var temp = new TempFolder();
        var (sleepModel, testModel) = Models();
        using var store = ResultsStore.Open(temp.Path);

        await new BenchRunner(sleepModel, testModel, store).RunAsync(RunPlan.Create(Dataset(), Arms, store));

        Assert.Equal(4, sleepModel.CallCount);
        Assert.Equal(4 * 2 * 3, testModel.CallCount);
        Assert.Equal(4, store.Sleeps.Count);
        Assert.Equal(24, store.Answers.Count);
        Assert.All(store.Answers.Values.Where(a => a.Arm.StartsWith("sleep", StringComparison.Ordinal)), a => Assert.NotNull(a.SleepKey));
        Assert.Contains(testModel.Calls, c => c.Messages.Any(m => m.Text.Contains("memory of ctx-2", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_interrupted_run_continues_where_it_stopped_without_repeating_a_model_call()
    {
        using var temp = new TempFolder();
        using var stop = new CancellationTokenSource();
        var (firstSleep, firstTest) = Models(onCall: n =>
        {
            if (n == 12)
            {
                stop.Cancel();
            }
        });

        using (var store = ResultsStore.Open(temp.Path))
        {
            var run = new BenchRunner(firstSleep, firstTest, store, new BenchRunOptions { Concurrency = 1 }).RunAsync(RunPlan.Create(Dataset(), Arms, store), stop.Token);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        }

        var (secondSleep, secondTest) = Models();
        using (var store = ResultsStore.Open(temp.Path))
        {
            var plan = RunPlan.Create(Dataset(), Arms, store);
            Assert.Equal(12, plan.AnswersReused);
            await new BenchRunner(secondSleep, secondTest, store, new BenchRunOptions { Concurrency = 1 }).RunAsync(plan);
        }

        Assert.Equal(24, firstTest.CallCount + secondTest.CallCount);
        Assert.Equal(4, firstSleep.CallCount + secondSleep.CallCount);
        var records = ResultsStore.ReadAll(Path.Combine(temp.Path, ResultsStore.FileName));
        Assert.Equal(24, records.OfType<AnswerRecord>().Select(a => a.Key).Distinct().Count());
        Assert.Equal(24, records.OfType<AnswerRecord>().Count());
        Assert.Equal(4, records.OfType<SleepRecord>().Count());

        var (thirdSleep, thirdTest) = Models();
        using (var store = ResultsStore.Open(temp.Path))
        {
            await new BenchRunner(thirdSleep, thirdTest, store).RunAsync(RunPlan.Create(Dataset(), Arms, store));
        }

        Assert.Equal(0, thirdTest.CallCount + thirdSleep.CallCount);
    }

    [Fact]
    public async Task A_torn_last_line_is_dropped_and_recomputed()
    {
        using var temp = new TempFolder();
        var (sleepModel, testModel) = Models();
        using (var store = ResultsStore.Open(temp.Path))
        {
            await new BenchRunner(sleepModel, testModel, store).RunAsync(RunPlan.Create(Dataset(), Arms, store));
        }

        var path = Path.Combine(temp.Path, ResultsStore.FileName);
        var lines = File.ReadAllLines(path);
        var lastAnswer = Array.FindLastIndex(lines, l => l.Contains("\"type\":\"answer\"", StringComparison.Ordinal));
        File.WriteAllText(path, string.Join("\n", lines.Where((_, i) => i != lastAnswer)) + "\n" + lines[lastAnswer][..20]);

        var (_, again) = Models();
        using (var store = ResultsStore.Open(temp.Path))
        {
            Assert.Equal(23, store.Answers.Count);
            await new BenchRunner(sleepModel, again, store).RunAsync(RunPlan.Create(Dataset(), Arms, store));
        }

        Assert.Equal(1, again.CallCount);
        Assert.Equal(24, ResultsStore.ReadAll(path).OfType<AnswerRecord>().Count());
    }

    [Fact]
    public async Task Pass_at_k_stores_one_answer_per_sample_with_a_distinct_seed()
    {
        using var temp = new TempFolder();
        var (sleepModel, testModel) = Models();
        using var store = ResultsStore.Open(temp.Path);

        await new BenchRunner(sleepModel, testModel, store, new BenchRunOptions { TestSampling = new PhaseSampling(0, 100) }).RunAsync(RunPlan.Create(Dataset(), [Arm.Parse("pass:k=3")], store));

        Assert.Equal(24, store.Answers.Count);
        Assert.Equal(0, sleepModel.CallCount);
        Assert.Equal(new long?[] { 100, 101, 102 }, testModel.Calls.Select(c => c.Options?.Seed).Distinct().Order());
    }

    [Fact]
    public async Task Model_failures_are_recorded_and_do_not_stop_the_run()
    {
        using var temp = new TempFolder();
        var sleepModel = new ScriptedChatClient(_ => ScriptedReply.RethinkAndFinish("memory"));
        var testModel = new ScriptedChatClient(call => call.LastUserText.Contains("q1", StringComparison.Ordinal) ? throw new HttpRequestException("503 from provider") : ScriptedReply.Text("The answer is 7."));
        using var store = ResultsStore.Open(temp.Path);

        await new BenchRunner(sleepModel, testModel, store).RunAsync(RunPlan.Create(Dataset(), [Arm.Parse("baseline:v=0")], store));

        Assert.Equal(8, store.Answers.Count);
        Assert.Equal(4, store.Answers.Values.Count(a => a.Error is not null && a.Reply is null));
        Assert.Contains("503", store.Answers.Values.First(a => a.Error is not null).Error, StringComparison.Ordinal);

        var healthy = new ScriptedChatClient(_ => ScriptedReply.Text("The answer is 7."));
        await new BenchRunner(sleepModel, healthy, store).RunAsync(RunPlan.Create(Dataset(), [Arm.Parse("baseline:v=0")], store));

        Assert.Equal(4, healthy.CallCount);
        Assert.All(store.Answers.Values, a => Assert.Null(a.Error));
    }

    [Fact]
    public async Task No_more_calls_are_in_flight_than_the_concurrency_limit()
    {
        using var temp = new TempFolder();
        var gate = new ConcurrencyProbe();
        var testModel = new ScriptedChatClient(_ => ScriptedReply.Text("The answer is 1."));
        for (var i = 0; i < 24; i++)
        {
            testModel.Then(async (_, token) =>
            {
                using var entered = gate.Enter();
                await Task.Yield();
                await Task.Delay(2, token);
                return ScriptedReply.Text("The answer is 1.");
            });
        }

        using var store = ResultsStore.Open(temp.Path);
        await new BenchRunner(new ScriptedChatClient(_ => ScriptedReply.RethinkAndFinish("m")), testModel, store, new BenchRunOptions { Concurrency = 2 })
            .RunAsync(RunPlan.Create(Dataset(), [Arm.Parse("baseline:v=0"), Arm.Parse("baseline:v=1"), Arm.Parse("baseline:v=2")], store));

        Assert.InRange(gate.Max, 1, 2);
    }

    internal static BenchDataset Dataset() => new("test", DatasetKind.Gsm, Enumerable.Range(1, 4)
        .Select(c => new BenchContext($"ctx-{c}", $"Context {c}: a shop sells {c * 3} apples a day.", [new BenchQuestion($"ctx-{c}/q1", $"q1: how many apples in 2 days for shop {c}?", (c * 6).ToString(System.Globalization.CultureInfo.InvariantCulture)), new BenchQuestion($"ctx-{c}/q2", $"q2: how many in 3 days for shop {c}?", (c * 9).ToString(System.Globalization.CultureInfo.InvariantCulture))]))
        .ToList());

    internal static (ScriptedChatClient Sleep, ScriptedChatClient Test) Models(Action<int>? onCall = null)
    {
        var sleep = new ScriptedChatClient(call =>
        {
            var id = call.Messages.Select(m => m.Text).First(t => t.Contains("Context ", StringComparison.Ordinal));
            var number = id[(id.IndexOf("Context ", StringComparison.Ordinal) + 8)..].Split(':')[0];
            return ScriptedReply.RethinkAndFinish($"memory of ctx-{number}");
        });
        var calls = 0;
        var test = new ScriptedChatClient(_ =>
        {
            onCall?.Invoke(Interlocked.Increment(ref calls));
            return ScriptedReply.Text("The answer is 6.", inputTokens: 200, outputTokens: 10);
        });
        return (sleep, test);
    }

    private sealed class ConcurrencyProbe
    {
        private int current;
        private int max;

        public int Max => Volatile.Read(ref max);

        public IDisposable Enter()
        {
            var now = Interlocked.Increment(ref current);
            int seen;
            while (now > (seen = Volatile.Read(ref max)) && Interlocked.CompareExchange(ref max, now, seen) != seen)
            {
            }

            return new Exit(this);
        }

        private sealed class Exit(ConcurrencyProbe probe) : IDisposable
        {
            public void Dispose() => Interlocked.Decrement(ref probe.current);
        }
    }
}
