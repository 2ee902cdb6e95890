namespace SleepTime.Providers.Local.InlineTools;

/// <summary>The tools a local model may call inline, by what it writes; their results are written into its reply as it goes.</summary>
[Flags]
public enum InlineToolSet
{
    None = 0,

    /// <summary><see cref="InlineCalculator"/>: an expression ended by <c>=</c> gets its exact result.</summary>
    Calculator = 1,

    /// <summary><see cref="InlineLookup"/>: a phrase in brackets gets the number it refers to in the text.</summary>
    Lookup = 2,
}
