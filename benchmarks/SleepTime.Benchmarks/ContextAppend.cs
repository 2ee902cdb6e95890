using BenchmarkDotNet.Attributes;
using SleepTime.Storage;

namespace SleepTime.Benchmarks;

/// <summary>
/// One write of a context entry on SQLite (a replace, so the context keeps one entry and every write costs the same: one
/// transaction with the version, the entry and its o200k token count, then the snapshot read back), beside counting
/// the entry's tokens alone, as the write does and exactly: the share of a write that the count behind
/// <c>transcript_tokens</c> takes.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ContextAppend
{
    private string folder = null!;
    private SleepTimeDatabase database = null!;
    private TenantContextStore store = null!;
    private ContextInput entry = null!;

    [Params(1_000, 100_000)]
    public int Chars { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        folder = Path.Combine(Path.GetTempPath(), "sleeptime-bench-append-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        database = new SleepTimeDatabase(new StorageOptions { SqlitePath = Path.Combine(folder, "bench.db") });
        await Migrator.MigrateAsync(database);
        store = new TenantContextStore(database, "bench");
        const string Sentence = "The bakery opens at seven and sells 240 muffins on a busy Saturday morning, then closes at noon. ";
        var text = string.Concat(Enumerable.Range(0, (Chars / Sentence.Length) + 1).Select(i => Sentence.Replace("240", (240 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)))[..Chars];
        entry = ContextInput.Document(text);
        await store.CreateAsync(ContextKind.Document, [entry], "doc");
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await database.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "write one entry (SQLite, one transaction)")]
    public async Task<long> Write() => (await store.ReplaceAsync("doc", [entry])).Version;

    [Benchmark(Description = "count the entry's tokens as the write does (exact on 4,096 characters, scaled)")]
    public int Count() => ScaledTokenCount.OfEntry(entry.Text);

    [Benchmark(Description = "count the entry's o200k tokens exactly")]
    public int CountExactly() => O200kTokenCounter.Instance.CountTokens(entry.Text);
}
