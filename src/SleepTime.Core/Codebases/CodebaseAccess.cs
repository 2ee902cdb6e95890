namespace SleepTime;

/// <summary>One read of a codebase: the operation (<c>list</c>, <c>read</c>, <c>search</c>, <c>log</c>, <c>show</c>, <c>diff</c>) and the path or commit it read.</summary>
public sealed record CodebaseAccess(string Operation, string Target);
