namespace SleepTime;

/// <summary>Counts tokens locally, for providers that report no usage.</summary>
public interface ITokenCounter
{
    int CountTokens(string text);
}
