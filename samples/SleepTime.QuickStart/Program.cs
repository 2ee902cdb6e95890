using Microsoft.Extensions.AI;
using OpenAI;
using SleepTime;

if (Environment.GetEnvironmentVariable("OPENAI_API_KEY") is null)
{
    // No endpoint: the same loop on the embedded demo model (EmbeddedDemo.cs). Set OPENAI_API_KEY for the README's
    // example, verbatim below this check.
    return await EmbeddedDemo.RunAsync(Console.Out);
}

var openAi = new OpenAIClient(Environment.GetEnvironmentVariable("OPENAI_API_KEY"));
IChatClient sleepModel = openAi.GetChatClient("o4-mini").AsIChatClient();     // stronger, runs while idle
IChatClient testModel = openAi.GetChatClient("gpt-4.1-mini").AsIChatClient(); // cheap and fast, answers queries

var engine = new SleepTimeEngine(sleepModel, testModel);

var context = await engine.AddDocumentAsync(
    "A bakery bakes 12 trays of 24 rolls every morning. It sells 85% of them and gives the rest to a shelter. " +
    "On Saturdays it bakes twice as many trays.");

// While idle: S(c) -> c'. The model derives and double-checks every quantity a question may need.
SleepResult sleep = await engine.SleepAsync(context.Id, new SleepOptions { Variant = SleepPromptVariant.Math });
Console.WriteLine($"learned context v{sleep.LearnedContext?.Version}, {sleep.Usage.OutputTokens} sleep tokens");

// When asked: T_b(q, c') on the smallest budget.
Answer answer = await engine.AskAsync(context.Id, "How many rolls go to the shelter in a week?", AnswerBudget.Level(0));
Console.WriteLine($"{answer.FinalAnswer} — {answer.Usage.OutputTokens} output tokens, used c' v{answer.LearnedContextVersion}");
return 0;
