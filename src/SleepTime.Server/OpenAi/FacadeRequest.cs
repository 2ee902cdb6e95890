namespace SleepTime.Server;

/// <summary>
/// A facade request once parsed, whichever API it came in by (chat completions or Responses): which context
/// answers, the client's chat, and how the reply is to be sent.
/// </summary>
/// <param name="ContextId">The context named by <c>model: "ctx:&lt;id&gt;"</c> or a <c>context_id</c> field.</param>
/// <param name="Model">The model name to echo back, <c>ctx:&lt;id&gt;</c>.</param>
/// <param name="Chat">The client's messages and model options.</param>
/// <param name="Stream">Whether the reply is streamed as server-sent events.</param>
/// <param name="IncludeUsage">Whether a streamed chat completion ends with a usage chunk.</param>
internal sealed record FacadeRequest(string ContextId, string Model, ClientChat Chat, bool Stream, bool IncludeUsage)
{
    public const string ModelPrefix = "ctx:";

    /// <summary>The context a request names: <c>context_id</c>, else the model <c>ctx:&lt;id&gt;</c>; 404 otherwise.</summary>
    public static string ContextOf(JsonFields body)
    {
        var model = body.String("model");
        if (body.String("context_id") is { } contextId)
        {
            return contextId.Length > 0 ? contextId : throw new SleepTimeValidationException("context_id", "'context_id' must not be empty.");
        }

        if (model is null)
        {
            throw new SleepTimeValidationException("model", $"'model' is required: name a context as \"{ModelPrefix}<context id>\" (or send a \"context_id\" field).");
        }

        return model.StartsWith(ModelPrefix, StringComparison.Ordinal) && model.Length > ModelPrefix.Length
            ? model[ModelPrefix.Length..]
            : throw new FacadeModelNotFoundException(model, $"models here are contexts, named \"{ModelPrefix}<context id>\" (GET /v1/models lists them).");
    }
}

/// <summary>A request named a model that is not a context of the caller: OpenAI's 404 <c>model_not_found</c>.</summary>
internal sealed class FacadeModelNotFoundException(string model, string why) : Exception($"The model '{model}' does not exist: {why}")
{
    public OpenAiError Error { get; } = OpenAiError.ModelNotFound(model, why);
}
