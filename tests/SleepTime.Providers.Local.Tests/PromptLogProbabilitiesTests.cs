using LLama.Native;
using SleepTime.Providers.Local.LogProbabilities;

namespace SleepTime.Providers.Local.Tests;

public sealed class PromptLogProbabilitiesTests
{
    private const string Context = "Once upon a time, there was a little girl named Lily.";
    private const string Question = " She loved to play outside in the park.";

    /// <summary>log P of each continuation token, decoding one token at a time in a fresh context (no batching).</summary>
    private static double[] TokenByToken(string prefix, string continuation)
    {
        var model = ToyModel.Model;
        var (tokens, firstScored) = LocalPromptLogProbabilities.Split(model, prefix, continuation);
        using var llama = model.Weights.CreateContext(model.Parameters);
        var batch = new LLamaBatch();
        var result = new List<double>();
        for (var p = 0; p < tokens.Length - 1; p++)
        {
            batch.Clear();
            batch.Add((LLamaToken)tokens[p], p, LLamaSeqId.Zero, logits: true);
            Assert.Equal(DecodeResult.Ok, llama.Decode(batch));
            if (p >= firstScored - 1)
            {
                var logits = llama.NativeHandle.GetLogitsIth(0).ToArray();
                var max = logits.Max();
                var logSum = Math.Log(logits.Sum(l => Math.Exp(l - max))) + max;
                result.Add(logits[tokens[p + 1]] - logSum);
            }
        }

        return [.. result];
    }

    [ToyModelFact]
    public async Task Batch_log_probabilities_match_a_token_by_token_computation()
    {
        var scorer = new LocalPromptLogProbabilities(ToyModel.Model);

        var batched = await scorer.GetLogProbabilitiesAsync(Context, Question);
        var stepwise = TokenByToken(Context, Question);

        Assert.Equal(stepwise.Length, batched.Length);
        for (var i = 0; i < batched.Length; i++)
        {
            Assert.True(Math.Abs(batched[i] - stepwise[i]) < 2e-3, $"token {i}: batch {batched[i]}, token by token {stepwise[i]}");
        }

        Assert.All(batched, lp => Assert.InRange(lp, double.NegativeInfinity, 0));
    }

    [ToyModelFact]
    public async Task The_scored_tokens_are_the_continuations_tokens_as_read_after_the_prefix()
    {
        var model = ToyModel.Model;
        var prefix = Context + "\n";
        var alone = model.Tokenize(prefix, addStart: true);
        var whole = model.Tokenize(prefix + Question.Trim(), addStart: true);

        var scored = await new LocalPromptLogProbabilities(model).GetLogProbabilitiesAsync(prefix, Question.Trim());

        Assert.Equal(alone, whole[..alone.Length]);
        Assert.Equal(whole.Length - alone.Length, scored.Length);
    }

    [ToyModelFact]
    public async Task A_continuation_the_model_expects_is_more_probable_than_one_it_does_not()
    {
        var scorer = new LocalPromptLogProbabilities(ToyModel.Model);

        var likely = (await scorer.GetLogProbabilitiesAsync("Once upon a time,", " there was a little girl")).Sum();
        var unlikely = (await scorer.GetLogProbabilitiesAsync("Once upon a time,", " purple seven engine quietly")).Sum();

        Assert.True(likely > unlikely + 5, $"likely {likely}, unlikely {unlikely}");
    }

    [ToyModelFact]
    public async Task The_context_changes_the_probability_of_the_same_question()
    {
        var scorer = new LocalPromptLogProbabilities(ToyModel.Model);

        var withContext = (await scorer.GetLogProbabilitiesAsync(Context, Question)).Sum();
        var without = (await scorer.GetLogProbabilitiesAsync("", Question)).Sum();

        Assert.NotEqual(withContext, without, 3);
    }

    [ToyModelFact]
    public async Task The_client_offers_log_probabilities_of_its_own_model()
    {
        using var client = ToyModel.Client();

        var scorer = Assert.IsAssignableFrom<IPromptLogProbabilities>(client.GetService(typeof(IPromptLogProbabilities)));
        var direct = await new LocalPromptLogProbabilities(ToyModel.Model).GetLogProbabilitiesAsync(Context, Question);

        Assert.Equal(direct, await scorer.GetLogProbabilitiesAsync(Context, Question));
    }

    [ToyModelFact]
    public async Task An_empty_continuation_or_one_beyond_the_context_is_refused()
    {
        var scorer = new LocalPromptLogProbabilities(ToyModel.Model);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => scorer.GetLogProbabilitiesAsync(Context, ""));
        var error = await Assert.ThrowsAsync<ArgumentException>(() => scorer.GetLogProbabilitiesAsync(Context, string.Concat(Enumerable.Repeat(Question, 20))));
        Assert.Contains($"holds {ToyModel.Model.ContextSize}", error.Message);
    }
}
