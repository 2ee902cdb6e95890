using SleepTime.Testing.OpenAiCompatible;
using Xunit;

namespace SleepTime.Testing.Conditions;

/// <summary>
/// A <c>[Fact]</c> that runs only where llama.cpp's server and the toy model are present beside the repository
/// (<c>../shared/tools/llama-server/</c> and <c>../shared/models/stories260K/stories260K.gguf</c>); elsewhere it is
/// skipped with a reason naming what is missing. Start the server with <see cref="LlamaServerProcess"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class LlamaServerFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the server or the model is absent.</summary>
    public LlamaServerFactAttribute()
    {
        if (LlamaServerProcess.MissingReason() is { } reason)
        {
            Skip = reason;
        }
    }
}
