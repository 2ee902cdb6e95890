using Microsoft.Extensions.Options;

namespace SleepTime.Providers;

/// <summary>
/// One model endpoint: which provider, which model, where, with which key, and how patiently to call it.
/// Bindable from configuration (e.g. the section <c>SleepTime:Models:Sleep</c>).
/// </summary>
public sealed class ModelEndpointOptions
{
    /// <summary>The default per-attempt timeout (100 s).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(100);

    /// <summary>Which provider serves the model. Default: <see cref="ProviderKind.OpenAI"/>.</summary>
    public ProviderKind Provider { get; set; } = ProviderKind.OpenAI;

    /// <summary>
    /// The model id sent with every request (required), e.g. <c>gpt-4.1-mini</c>, <c>claude-sonnet-4-5</c>, <c>qwen3:8b</c>.
    /// Optional for <see cref="ProviderKind.Local"/>, where it only names the model (default: the file name of
    /// <see cref="ModelPath"/> without its extension).
    /// </summary>
    public string? Model { get; set; }

    /// <summary>The GGUF file of a <see cref="ProviderKind.Local"/> model (required there, ignored elsewhere), e.g. <c>models/qwen3-0.6b-q8_0.gguf</c>.</summary>
    public string? ModelPath { get; set; }

    /// <summary>
    /// <see cref="ProviderKind.Local"/> only: CPU threads per generation. Default: half the processors. Tiny models
    /// (a few million parameters) run fastest on 1 thread.
    /// </summary>
    public int? Threads { get; set; }

    /// <summary>
    /// <see cref="ProviderKind.Local"/> only: tokens of prompt plus reply per call. Default: the context length the
    /// model was trained with, at most 4,096.
    /// </summary>
    public int? ContextSize { get; set; }

    /// <summary>
    /// <see cref="ProviderKind.Local"/> only: how many calls may run at once on the loaded model (each holds one
    /// inference context of <see cref="ContextSize"/> tokens; further calls wait). Default: 2.
    /// </summary>
    public int MaxContexts { get; set; } = 2;

    /// <summary>
    /// <see cref="ProviderKind.Local"/> only: arithmetic by calculator. When the model ends an arithmetic expression
    /// with <c>=</c> (<c>3 * 22 =</c>), the provider writes the exact result after it and the model goes on from
    /// there; the result's tokens count as output tokens, and the calls are reported in the usage's
    /// <c>calculator_calls</c>. Default: off; the embedded demo model turns it on.
    /// </summary>
    public bool Calculator { get; set; }

    /// <summary>
    /// <see cref="ProviderKind.Local"/> only: numbers by lookup. When the model writes a phrase in brackets
    /// (<c>[tray holds]</c>), the provider writes the number that phrase refers to in the prompt or the reply so far
    /// (the number after its last occurrence, or a worked step's result), counted as output tokens and in the usage's
    /// <c>lookup_calls</c>. Default: off; the embedded demo model turns it on.
    /// </summary>
    public bool Lookup { get; set; }

    /// <summary>The model's display name: <see cref="Model"/>, or for a local model without one, the file name of <see cref="ModelPath"/>.</summary>
    public string? ModelName => !string.IsNullOrWhiteSpace(Model) || string.IsNullOrWhiteSpace(ModelPath)
        ? Model
        : Path.GetFileNameWithoutExtension(ModelPath);

    /// <summary>
    /// The server's base URL. Required for <see cref="ProviderKind.OpenAICompatible"/> (e.g. <c>http://localhost:8000/v1</c>)
    /// and <see cref="ProviderKind.Ollama"/> (e.g. <c>http://localhost:11434</c>); optional for OpenAI and Anthropic,
    /// where it replaces the public API address (e.g. for a proxy).
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The API key. Prefer <see cref="ApiKeyEnvironmentVariable"/> to keep keys out of files.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The name of an environment variable that holds the API key (e.g. <c>OPENAI_API_KEY</c>); used when <see cref="ApiKey"/> is empty.</summary>
    public string? ApiKeyEnvironmentVariable { get; set; }

    /// <summary>
    /// How long one attempt may take until the response headers arrive (for a non-streamed response: until the whole
    /// body arrived). An attempt that takes longer is abandoned and retried. Default: 100 s.
    /// </summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>How many times a failed attempt is retried (so at most <c>MaxRetries + 1</c> attempts). Default: 4.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>The first retry delay; later ones grow exponentially, with jitter. Default: 1 s.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest retry delay, also the cap on a server's <c>Retry-After</c>. Default: 60 s.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The API key to use: <see cref="ApiKey"/>, else the value of <see cref="ApiKeyEnvironmentVariable"/>, else <see langword="null"/>.</summary>
    public string? ResolveApiKey()
    {
        if (!string.IsNullOrWhiteSpace(ApiKey))
        {
            return ApiKey;
        }

        if (!string.IsNullOrWhiteSpace(ApiKeyEnvironmentVariable))
        {
            var fromEnvironment = Environment.GetEnvironmentVariable(ApiKeyEnvironmentVariable);
            return string.IsNullOrWhiteSpace(fromEnvironment) ? null : fromEnvironment;
        }

        return null;
    }

    /// <summary>Lists what is wrong with these options, one clear sentence per problem; empty when they are usable.</summary>
    /// <param name="path">The configuration path to name in the messages, e.g. <c>SleepTime:Models:Sleep</c>.</param>
    public IReadOnlyList<string> GetValidationErrors(string? path = null)
    {
        var prefix = string.IsNullOrEmpty(path) ? "" : path + ":";
        var errors = new List<string>();
        if (!Enum.IsDefined(Provider))
        {
            errors.Add($"{prefix}Provider '{Provider}' is not one of {string.Join(", ", Enum.GetNames<ProviderKind>())}.");
        }

        if (Provider == ProviderKind.Local)
        {
            AddLocalErrors(prefix, errors);
        }
        else if (string.IsNullOrWhiteSpace(Model))
        {
            errors.Add($"{prefix}Model is required: name the model to call (e.g. \"gpt-4.1-mini\", \"claude-sonnet-4-5\", \"qwen3:8b\").");
        }

        if (Endpoint is null)
        {
            if (Provider is ProviderKind.OpenAICompatible or ProviderKind.Ollama)
            {
                var example = Provider == ProviderKind.Ollama ? "http://localhost:11434" : "http://localhost:8000/v1";
                errors.Add($"{prefix}Endpoint is required for provider {Provider}: the server's base URL (e.g. {example}).");
            }
        }
        else if (!Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttp && Endpoint.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{prefix}Endpoint '{Endpoint}' must be an absolute http or https URL.");
        }

        if (Provider is ProviderKind.OpenAI or ProviderKind.Anthropic && ResolveApiKey() is null)
        {
            var hint = string.IsNullOrWhiteSpace(ApiKeyEnvironmentVariable)
                ? $"set ApiKey, or name the environment variable that holds it in ApiKeyEnvironmentVariable (e.g. {(Provider == ProviderKind.OpenAI ? "OPENAI_API_KEY" : "ANTHROPIC_API_KEY")})"
                : $"the environment variable {ApiKeyEnvironmentVariable} named in ApiKeyEnvironmentVariable is not set or empty";
            errors.Add($"{prefix}ApiKey is required for provider {Provider}: {hint}.");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            errors.Add($"{prefix}Timeout must be positive (it is {Timeout}).");
        }

        if (MaxRetries < 0)
        {
            errors.Add($"{prefix}MaxRetries must be zero or more (it is {MaxRetries}).");
        }

        if (RetryBaseDelay < TimeSpan.Zero)
        {
            errors.Add($"{prefix}RetryBaseDelay must not be negative (it is {RetryBaseDelay}).");
        }

        if (RetryMaxDelay < RetryBaseDelay)
        {
            errors.Add($"{prefix}RetryMaxDelay ({RetryMaxDelay}) must not be shorter than RetryBaseDelay ({RetryBaseDelay}).");
        }

        return errors;
    }

    private void AddLocalErrors(string prefix, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(ModelPath))
        {
            errors.Add($"{prefix}ModelPath is required for provider Local: the path of a GGUF model file (e.g. models/qwen3-0.6b-q8_0.gguf).");
        }
        else if (!File.Exists(ModelPath))
        {
            errors.Add($"{prefix}ModelPath '{ModelPath}' does not exist (resolved to {Path.GetFullPath(ModelPath)}).");
        }

        if (Threads is < 1)
        {
            errors.Add($"{prefix}Threads must be 1 or more (it is {Threads}).");
        }

        if (ContextSize is < 16)
        {
            errors.Add($"{prefix}ContextSize must be at least 16 tokens (it is {ContextSize}).");
        }

        if (MaxContexts < 1)
        {
            errors.Add($"{prefix}MaxContexts must be 1 or more (it is {MaxContexts}).");
        }
    }

    /// <summary>Throws an <see cref="OptionsValidationException"/> listing every problem, unless these options are usable.</summary>
    /// <param name="path">The configuration path to name in the messages, e.g. <c>SleepTime:Models:Sleep</c>.</param>
    public void Validate(string? path = null)
    {
        var errors = GetValidationErrors(path);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(path ?? Options.DefaultName, typeof(ModelEndpointOptions), errors);
        }
    }

    /// <summary>A copy of these options.</summary>
    public ModelEndpointOptions Clone() => (ModelEndpointOptions)MemberwiseClone();
}
