using Microsoft.Extensions.AI;

namespace SleepTime.Server;

/// <summary>
/// The model that runs a phase when no endpoint is configured for it: <c>sleeptime serve</c> registers the embedded
/// demo model, so a fresh install sleeps and answers with no set-up. It comes with the prompts and the sleep mode it
/// was trained for, which the server uses for it in place of each context's own, and a notice the server shows once.
/// </summary>
/// <param name="CreateClient">Makes the client, the first time a phase needs it.</param>
/// <param name="Prompts">The prompt library both phases use with it.</param>
/// <param name="SleepOptions">What a sleep on it runs with, from what the context's schedule asks.</param>
/// <param name="Notice">What to tell the operator, once, when it stands in.</param>
public sealed record FallbackModel(Func<IServiceProvider, IChatClient> CreateClient, PromptLibrary Prompts, Func<SleepOptions, SleepOptions> SleepOptions, string Notice);
