using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using SleepTime.Providers.Local.LogProbabilities;

namespace SleepTime.Providers.Local;

/// <summary>
/// The local models loaded in this process, one per file and settings, loaded on first use and shared by every
/// client made for them (so a sleep and a test endpoint on the same file load it once). Plugs
/// <see cref="ProviderKind.Local"/> into <see cref="ChatClientFactory"/>.
/// </summary>
public sealed class LocalModels : ILocalChatClientFactory, IDisposable
{
    private readonly ConcurrentDictionary<LocalModelSettings, Lazy<LocalModel>> loaded = new();

    /// <summary>The process-wide instance (what <c>AddSleepTimeLocalModels</c> registers).</summary>
    public static LocalModels Shared { get; } = new();

    /// <summary>How many models are loaded.</summary>
    public int Count => loaded.Count(m => m.Value.IsValueCreated);

    /// <summary>The model for <paramref name="settings"/>, loading it the first time.</summary>
    public LocalModel Get(LocalModelSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var lazy = loaded.GetOrAdd(settings, s => new Lazy<LocalModel>(() => LocalModel.Load(s), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // Do not cache a failed load: the file may be fixed.
            loaded.TryRemove(new KeyValuePair<LocalModelSettings, Lazy<LocalModel>>(settings, lazy));
            throw;
        }
    }

    /// <inheritdoc/>
    public IChatClient CreateChatClient(ModelEndpointOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var tools = (options.Calculator ? InlineTools.InlineToolSet.Calculator : InlineTools.InlineToolSet.None)
            | (options.Lookup ? InlineTools.InlineToolSet.Lookup : InlineTools.InlineToolSet.None);
        return new LocalChatClient(Get(LocalModelSettings.From(options)), options.ModelName!, tools);
    }

    /// <summary>Prompt log-probabilities from the model of a <see cref="ProviderKind.Local"/> endpoint.</summary>
    public IPromptLogProbabilities CreateLogProbabilities(ModelEndpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new LocalPromptLogProbabilities(Get(LocalModelSettings.From(options)));
    }

    /// <summary>Unloads every model; clients made from them stop working.</summary>
    public void Dispose()
    {
        foreach (var model in loaded.Values.Where(m => m.IsValueCreated))
        {
            model.Value.Dispose();
        }

        loaded.Clear();
    }
}
