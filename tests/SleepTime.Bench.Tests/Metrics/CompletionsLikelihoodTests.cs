using SleepTime.Bench.Predictability;
using SleepTime.Testing.Conditions;
using SleepTime.Testing.OpenAiCompatible;

namespace SleepTime.Bench.Tests.Metrics;

public sealed class CompletionsLikelihoodTests
{
    [Fact]
    public async Task Sums_the_logprobs_of_the_question_tokens_only_from_an_echoing_completions_endpoint()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.CompletionResponder = request => FakeCompletionReply.Score(request.Prompt, token => token.Trim() switch
        {
            "How" => -1.0,
            "many?" => -2.5,
            _ => -100.0,
        });
        using var http = new HttpClient();

        var score = await new CompletionsLikelihood(http, server.BaseUrl, "scorer").ScoreAsync("Ten cats sat.", "How many?");

        Assert.Equal(-3.5, score.LogProb, 9);
        Assert.Equal(2, score.Tokens);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/completions", request.Path);
        Assert.True(request.Body!.Value.GetProperty("echo").GetBoolean());
        Assert.Equal(0, request.Body.Value.GetProperty("max_tokens").GetInt32());
        Assert.Equal(1, request.Body.Value.GetProperty("logprobs").GetInt32());
        Assert.Equal(request.RawBody.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), request.Header("Content-Length"));
        Assert.Null(request.Header("Transfer-Encoding"));
    }

    [Fact]
    public async Task A_server_that_echoes_the_prompt_but_scores_too_little_of_it_is_not_blamed_for_echo()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        server.CompletionResponder = _ => new FakeCompletionReply { PromptTokens = FakeCompletionReply.Score("Ten").PromptTokens };
        using var http = new HttpClient();

        var error = await Assert.ThrowsAsync<SleepTimeException>(() => new CompletionsLikelihood(http, server.BaseUrl, "scorer").ScoreAsync("Ten cats sat.", "How many?"));

        Assert.DoesNotContain("did not echo", error.Message, StringComparison.Ordinal);
        Assert.Contains("echoed the prompt but returned log-probabilities for 1 token(s) covering only 3 of its 23 characters", error.Message, StringComparison.Ordinal);
    }

    [LlamaServerFact]
    public async Task A_real_server_that_does_not_echo_prompt_logprobs_is_refused_with_a_clear_error()
    {
        await using var llama = await LlamaServerProcess.StartAsync(null, "-np", "1", "-t", "1");
        using var http = new HttpClient();

        var error = await Assert.ThrowsAsync<SleepTimeException>(() => new CompletionsLikelihood(http, llama.BaseUrl, "stories").ScoreAsync("Lily had a ball.", "What color was it?"));

        Assert.Contains("did not echo the prompt's log-probabilities", error.Message, StringComparison.Ordinal);
    }
}
