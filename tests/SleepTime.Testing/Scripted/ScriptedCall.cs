using Microsoft.Extensions.AI;

namespace SleepTime.Testing;

/// <summary>What a <see cref="ScriptedChatClient"/> was asked: a copy of the messages and the options.</summary>
public sealed record ScriptedCall(int Index, IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)
{
    public string LastUserText => Messages.Last(m => m.Role == ChatRole.User).Text;

    public IReadOnlyList<FunctionResultContent> ToolResults =>
        Messages.Where(m => m.Role == ChatRole.Tool).SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToList();
}
