namespace SleepTime.Agents;

/// <summary>Told about each completed primary-agent turn; implementations must return quickly and never wait for a run.</summary>
public interface ITurnObserver
{
    /// <param name="transcriptTokens">Tokens the turn added to the transcript (user and assistant messages).</param>
    Task OnTurnCompletedAsync(string primaryAgentId, long transcriptTokens, CancellationToken cancellationToken = default);
}
