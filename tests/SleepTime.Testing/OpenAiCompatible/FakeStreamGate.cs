namespace SleepTime.Testing.OpenAiCompatible;

/// <summary>
/// Holds a streamed reply after its first chunk until the test opens the gate, so a test can observe what its client
/// received while the model had provably not finished: an assertion on ordering, not on timing.
/// </summary>
/// <example>
/// <code>
/// var gate = new FakeStreamGate();
/// server.Enqueue(FakeReply.Text("one two three").HeldAfterFirstChunk(gate));
/// // ... read the first streamed chunk through the code under test ...
/// Assert.False(gate.HasFinished);   // the model was still holding the rest
/// gate.Open();
/// </code>
/// </example>
public sealed class FakeStreamGate
{
    private readonly TaskCompletionSource firstChunkSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource abandoned = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the fake has written and flushed the reply's first content (or tool-call) chunk.</summary>
    public Task FirstChunkSent => firstChunkSent.Task;

    /// <summary>Completes once the fake has written the whole reply, through <c>data: [DONE]</c>.</summary>
    public Task Finished => finished.Task;

    /// <summary>
    /// Completes when the client went away while the reply was held: from then on the reply can never finish, so a
    /// test may assert that nothing was made of it.
    /// </summary>
    public Task Abandoned => abandoned.Task;

    /// <summary>Whether the fake has written the whole reply.</summary>
    public bool HasFinished => finished.Task.IsCompleted;

    /// <summary>Whether the gate was opened.</summary>
    public bool IsOpen => opened.Task.IsCompleted;

    /// <summary>Lets the held reply continue.</summary>
    public void Open() => opened.TrySetResult();

    internal async Task<bool> HoldAsync(CancellationToken cancellationToken)
    {
        firstChunkSent.TrySetResult();
        try
        {
            await opened.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            abandoned.TrySetResult();
            return false;
        }
    }

    internal void MarkFinished() => finished.TrySetResult();
}
