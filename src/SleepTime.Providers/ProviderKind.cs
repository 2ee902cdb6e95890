namespace SleepTime.Providers;

/// <summary>Which kind of model endpoint a <see cref="ModelEndpointOptions"/> describes.</summary>
public enum ProviderKind
{
    /// <summary>OpenAI's own API (api.openai.com) through the official OpenAI .NET SDK. Needs an API key.</summary>
    OpenAI,

    /// <summary>
    /// Any server that speaks OpenAI's chat completions protocol at a base URL (vLLM, llama.cpp's llama-server,
    /// LM Studio, Ollama's <c>/v1</c>), through the official OpenAI .NET SDK. Needs <see cref="ModelEndpointOptions.Endpoint"/>;
    /// the API key is optional.
    /// </summary>
    OpenAICompatible,

    /// <summary>Anthropic's Messages API through the official Anthropic C# SDK. Needs an API key.</summary>
    Anthropic,

    /// <summary>Ollama's native API (<c>/api/chat</c>) through OllamaSharp. Needs <see cref="ModelEndpointOptions.Endpoint"/>.</summary>
    Ollama,

    /// <summary>
    /// A GGUF model file run in this process (llama.cpp through LLamaSharp), no server. Needs
    /// <see cref="ModelEndpointOptions.ModelPath"/> and the <c>SleepTime.Providers.Local</c> library, which supplies the
    /// <see cref="ILocalChatClientFactory"/>.
    /// </summary>
    Local,
}
