using Microsoft.Extensions.AI;
using SleepTime.Bench.Datasets;
using SleepTime.Bench.Provenance;

namespace SleepTime.Bench.Judging;

/// <summary>A judge's decision on one answer, its reply as given, and what the call cost.</summary>
public sealed record JudgeVerdict(bool Correct, string Reply, TokenUsage Usage);

/// <summary>
/// Grades free-text answers with a model (temperature 0): it is shown the question, the reference and the response
/// through <see cref="JudgePrompt"/> and must reply yes or no; anything else is an error, never a guess.
/// </summary>
public sealed class AnswerJudge
{
    private readonly IChatClient model;
    private readonly UsageMeter meter = new(O200kTokenCounter.Instance);

    public AnswerJudge(IChatClient model, string modelName, JudgePrompt prompt)
    {
        this.model = model ?? throw new ArgumentNullException(nameof(model));
        ModelName = modelName;
        Prompt = prompt ?? throw new ArgumentNullException(nameof(prompt));
        Fingerprint = ContentHash.Short(ContentHash.OfParts(modelName, prompt.Hash));
    }

    public string ModelName { get; }

    public JudgePrompt Prompt { get; }

    /// <summary>Short hash of judge model and prompt, stored on every judged answer so a changed judge is noticed.</summary>
    public string Fingerprint { get; }

    public async Task<JudgeVerdict> JudgeAsync(BenchQuestion question, string response, CancellationToken cancellationToken = default)
    {
        List<ChatMessage> messages = [new(ChatRole.User, Prompt.Render(question, response))];
        var reply = await model.GetResponseAsync(messages, new ChatOptions { Temperature = 0, MaxOutputTokens = 16 }, cancellationToken).ConfigureAwait(false);
        var usage = meter.Measure(messages, reply);
        var word = new string(reply.Text.Trim().TakeWhile(char.IsLetter).ToArray()).ToLowerInvariant();
        return word switch
        {
            "yes" or "correct" => new JudgeVerdict(true, reply.Text, usage),
            "no" or "wrong" or "incorrect" => new JudgeVerdict(false, reply.Text, usage),
            _ => throw new SleepTimeException($"The judge replied \"{Shorten(reply.Text)}\" instead of yes or no."),
        };
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..77] + "..." : text;
}
