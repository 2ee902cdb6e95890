using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace SleepTime.Providers.Local.Embedded;

/// <summary>
/// sleeptime-tiny, the demo model the project trains itself and ships (models/sleeptime-tiny/sleeptime-tiny.gguf,
/// copied to the output folder of everything that references this library): what runs when no endpoint is
/// configured. It only knows SleepTime's generated word problems, and only with its compact prompts and plain-text
/// sleep, so <see cref="Defaults"/> configures all three together.
/// </summary>
public static class EmbeddedModel
{
    /// <summary>The model's name, reported as its model id.</summary>
    public const string Name = "sleeptime-tiny";

    /// <summary>The file, relative to an output folder or a checkout.</summary>
    public static readonly string RelativePath = Path.Combine("models", Name, Name + ".gguf");

    /// <summary>What to tell a user, once, when the embedded model stands in for an endpoint.</summary>
    public const string Notice = "No model endpoint is configured: using sleeptime-tiny, a demo model that only knows SleepTime's generated word problems; configure an endpoint for real work.";

    /// <summary>
    /// The shipped file: next to the application (its output folder), else in the nearest folder above the
    /// working directory that holds it (a checkout); null when neither has it.
    /// </summary>
    public static string? FindFile()
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, RelativePath);
        if (File.Exists(shipped))
        {
            return shipped;
        }

        for (var folder = new DirectoryInfo(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, RelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="modelPath"/> is the embedded model (by file name), so it needs the compact prompts and plain-text sleep.</summary>
    public static bool IsEmbedded(string? modelPath) =>
        modelPath is not null && string.Equals(Path.GetFileName(modelPath), Name + ".gguf", StringComparison.OrdinalIgnoreCase);

    /// <summary>The defaults on the shipped file.</summary>
    /// <exception cref="FileNotFoundException">The file is not shipped here.</exception>
    public static EmbeddedModelDefaults Defaults() =>
        Defaults(FindFile() ?? throw new FileNotFoundException($"The embedded model {RelativePath} is neither next to the application nor in a folder above {Directory.GetCurrentDirectory()}.", RelativePath));

    /// <summary>The defaults on <paramref name="modelPath"/>.</summary>
    public static EmbeddedModelDefaults Defaults(string modelPath) => new(Endpoint(modelPath), PromptLibrary.Compact, new SleepOptions { Mode = SleepMode.PlainText, Variant = SleepPromptVariant.Math });

    /// <summary>
    /// A local endpoint on <paramref name="modelPath"/>: one thread (the fastest for a model this small), the model's
    /// own window, and the inline calculator and lookup: a model this small does not copy numbers out of its prompt
    /// or add them reliably, so it names what to look up and what to compute, and the provider does both.
    /// </summary>
    public static ModelEndpointOptions Endpoint(string modelPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        return new ModelEndpointOptions
        {
            Provider = ProviderKind.Local,
            ModelPath = Path.GetFullPath(modelPath),
            Model = Name,
            Threads = 1,
            Calculator = true,
            Lookup = true,
        };
    }
}

/// <summary>What both phases need to run on the embedded model.</summary>
/// <param name="Endpoint">The local endpoint, for the sleep and the test phase alike.</param>
/// <param name="Prompts">The compact prompts (<see cref="PromptLibrary.Compact"/>) the model was trained on.</param>
/// <param name="SleepOptions">Plain-text sleep with the math prompt, as trained.</param>
public sealed record EmbeddedModelDefaults(ModelEndpointOptions Endpoint, PromptLibrary Prompts, SleepOptions SleepOptions)
{
    /// <summary>
    /// The model's client: greedy unless a call asks for a temperature, as the model was evaluated (a sampled reply
    /// from a model this small strays from the forms it learned).
    /// </summary>
    public IChatClient CreateChatClient(ILocalChatClientFactory factory, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new ChatClientBuilder(factory.CreateChatClient(Endpoint, loggerFactory))
            .ConfigureOptions(options => options.Temperature ??= 0)
            .Build();
    }

    /// <inheritdoc cref="EmbeddedModel.Notice"/>
    public string Notice => EmbeddedModel.Notice;
}
