using System.Text;
using LLama;
using LLama.Abstractions;
using LLama.Common;

namespace SleepTime.Providers.Local;

/// <summary>
/// Formats a conversation with the model's own chat template (read from the GGUF file by llama.cpp, which knows the
/// common template families), ending with the assistant's turn opened. A model without a template gets llama.cpp's
/// fallback, ChatML, as llama-server does.
/// </summary>
internal sealed class ModelChatTemplate(LLamaWeights weights) : IHistoryTransform
{
    public string HistoryToText(ChatHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var template = new LLamaTemplate(weights.NativeHandle, strict: false) { AddAssistant = true };
        foreach (var message in history.Messages)
        {
            template.Add(message.AuthorRole.ToString().ToLowerInvariant(), message.Content);
        }

        return Encoding.UTF8.GetString(template.Apply());
    }

    public ChatHistory TextToHistory(AuthorRole role, string text) => new([new ChatHistory.Message(role, text)]);

    public IHistoryTransform Clone() => new ModelChatTemplate(weights);
}
