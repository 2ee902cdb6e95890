using System.Runtime.CompilerServices;
using SleepTime.Bench.Datasets;

namespace SleepTime.Bench.Provenance;

/// <summary>
/// Short content hashes of what one result depends on in the data set: a context's text, or a question with its
/// context and reference answer. A context's hash is computed once per loaded context (they can be 100k tokens).
/// </summary>
public static class ItemHashes
{
    private static readonly ConditionalWeakTable<BenchContext, string> ContextHashes = [];

    public static string Of(BenchContext context) =>
        ContextHashes.GetValue(context, c => ContentHash.Short(ContentHash.OfText(c.Text)));

    public static string Of(BenchContext context, BenchQuestion question) =>
        ContentHash.Short(ContentHash.OfParts(Of(context), question.Text, question.Expected));
}
