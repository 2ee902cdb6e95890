using System.Security.Cryptography;

namespace SleepTime.Testing.OpenAiCompatible;

/// <summary>Realistic-looking ids for fake responses.</summary>
internal static class FakeIds
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static string ToolCallId() => "call_" + RandomNumberGenerator.GetString(Alphabet, 24);

    public static string ChatCompletionId() => "chatcmpl-" + RandomNumberGenerator.GetString(Alphabet, 29);

    public static string CompletionId() => "cmpl-" + RandomNumberGenerator.GetString(Alphabet, 29);

    public static string AnthropicMessageId() => "msg_" + RandomNumberGenerator.GetString(Alphabet, 24);

    public static string AnthropicToolUseId() => "toolu_" + RandomNumberGenerator.GetString(Alphabet, 24);
}
