namespace SleepTime.Providers.Local;

/// <summary>How one local model is loaded: the file, its context length, threads and how many contexts may run at once.</summary>
/// <param name="ModelPath">The GGUF file (made absolute by <see cref="From"/>).</param>
/// <param name="ContextSize">Tokens per context; <see langword="null"/>: the model's training length, at most <see cref="MaxDefaultContextSize"/>.</param>
/// <param name="Threads">CPU threads per generation.</param>
/// <param name="MaxContexts">Contexts in the pool, so the most calls that run at once.</param>
public sealed record LocalModelSettings(string ModelPath, int? ContextSize = null, int Threads = 1, int MaxContexts = 2)
{
    /// <summary>The longest default context; a model trained on longer ones gets this unless <see cref="ContextSize"/> says more.</summary>
    public const int MaxDefaultContextSize = 4096;

    /// <summary>The threads used when none are configured: half the processors, at least one.</summary>
    public static int DefaultThreads => Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>The settings of a <see cref="ProviderKind.Local"/> endpoint.</summary>
    public static LocalModelSettings From(ModelEndpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ModelPath);
        return new LocalModelSettings(
            Path.GetFullPath(options.ModelPath),
            options.ContextSize,
            options.Threads ?? DefaultThreads,
            options.MaxContexts);
    }
}
