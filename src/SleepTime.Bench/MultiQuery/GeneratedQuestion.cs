namespace SleepTime.Bench.MultiQuery;

/// <summary>A question a model proposed for a context, with its worked solution and bare final answer.</summary>
public sealed record GeneratedQuestion(string Question, string Solution, string Answer);
