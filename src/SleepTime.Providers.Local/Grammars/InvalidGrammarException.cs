namespace SleepTime.Providers.Local.Grammars;

/// <summary>A GBNF grammar that failed validation; it never reaches llama.cpp, whose sampler would crash on it.</summary>
public sealed class InvalidGrammarException(string message) : FormatException(message);
