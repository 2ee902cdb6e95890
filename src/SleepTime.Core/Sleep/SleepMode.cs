namespace SleepTime;

/// <summary>How the sleep model hands back its learned context.</summary>
public enum SleepMode
{
    /// <summary>The paper's agent loop: <c>rethink_memory</c> and <c>finish_rethinking_memory</c> tool calls.</summary>
    Tools,

    /// <summary>For models without tool calling: the reply itself is the learned context.</summary>
    PlainText,
}
