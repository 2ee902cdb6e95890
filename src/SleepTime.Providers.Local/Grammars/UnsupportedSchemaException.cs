namespace SleepTime.Providers.Local.Grammars;

/// <summary>
/// A JSON schema (or tool) that the grammar converter cannot express, so no constrained generation is attempted.
/// </summary>
public sealed class UnsupportedSchemaException(string message) : NotSupportedException(message);
