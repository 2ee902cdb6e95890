using SleepTime.Bench.Datasets;

namespace SleepTime.Bench.Provenance;

/// <summary>Short content hashes of what one result depends on in the data set: a context's text, or a question with its context and reference answer.</summary>
public static class ItemHashes
{
    public static string Of(BenchContext context) => ContentHash.Short(ContentHash.OfText(context.Text));

    public static string Of(BenchContext context, BenchQuestion question) =>
        ContentHash.Short(ContentHash.OfParts(context.Text, question.Text, question.Expected));
}
