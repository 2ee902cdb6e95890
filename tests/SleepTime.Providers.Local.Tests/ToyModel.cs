using SleepTime.Testing.Conditions;

namespace SleepTime.Providers.Local.Tests;

/// <summary>The real toy model beside the repository (<c>../shared/models/stories260K</c>), loaded once per test run.</summary>
internal static class ToyModel
{
    public const string RelativePath = "models/stories260K/stories260K.gguf";

    /// <summary>The file, or <see langword="null"/> where <c>../shared</c> lacks it (a fresh clone, CI without the share).</summary>
    public static string? TryPath => RepositoryPaths.TryShared(RelativePath);

    public static string Path => TryPath ?? throw new InvalidOperationException($"../shared/{RelativePath} is missing.");

    public static LocalModelSettings Settings => new(Path, ContextSize: null, Threads: 1, MaxContexts: 2);

    public static LocalModel Model => LocalModels.Shared.Get(Settings);

    public static LocalChatClient Client() => new(Model, "stories260K");

    /// <summary>
    /// The model with a 2,048-token context, beyond the 128 it was trained on (its text degrades there, which does not
    /// matter to the mechanics tested): a prompt offering tools, whose schemas it spells out, is over 1,000 tokens.
    /// </summary>
    public static LocalChatClient WideClient() => new(LocalModels.Shared.Get(Settings with { ContextSize = 2048 }), "stories260K");

    public static string? MissingReason() => TryPath is null
        ? $"needs the toy model ../shared/{RelativePath} beside the repository (absent in a fresh clone)"
        : null;
}

/// <summary>A <c>[Fact]</c> that runs on the real toy model and is skipped, with the reason, where it is absent.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ToyModelFactAttribute : FactAttribute
{
    public ToyModelFactAttribute()
    {
        if (ToyModel.MissingReason() is { } reason)
        {
            Skip = reason;
        }
    }
}
