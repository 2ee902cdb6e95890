using Microsoft.Extensions.AI;

namespace SleepTime.Agents.Tests.Archival;

public sealed class ArchivalMemoryTests
{
    [Fact]
    public async Task Without_embeddings_BM25_ranks_the_passage_with_the_rare_query_term_first()
    {
        var memory = new ArchivalMemory(new InMemoryArchivalStore());
        await memory.InsertAsync("a", "The user went to the market and bought bread.");
        await memory.InsertAsync("a", "The user's sister Ingrid lives in Trondheim.");
        await memory.InsertAsync("a", "The user went to the cinema with the user's friend.");
        await memory.InsertAsync("b", "Ingrid is also in another agent's memory.");

        var hits = await memory.SearchAsync("a", "Where does Ingrid live?");

        Assert.Equal(ArchivalSearchMode.Lexical, memory.Mode);
        var hit = Assert.Single(hits);
        Assert.Contains("Trondheim", hit.Passage.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void BM25_prefers_shorter_documents_at_equal_term_frequency_and_repeated_terms()
    {
        var index = new Bm25Index<string>(
            ["cats and dogs and many other animals in a long sentence", "cats", "dogs only", "cats cats cats and nothing else much"],
            s => s);

        var ranked = index.Search("cats", 10).Select(h => h.Item).ToList();

        Assert.Equal("cats", ranked[0]);
        Assert.Equal("cats cats cats and nothing else much", ranked[1]);
        Assert.Equal(3, ranked.Count);
    }

    [Fact]
    public async Task With_embeddings_passages_rank_by_cosine_similarity()
    {
        var generator = new KeywordEmbeddingGenerator("boat", "mountain", "music");
        var memory = new ArchivalMemory(new InMemoryArchivalStore(), generator);
        await memory.InsertAsync("a", "Climbed a mountain last summer, a big mountain.");
        await memory.InsertAsync("a", "Owns a small boat.");
        await memory.InsertAsync("a", "Plays music and likes a boat trip to the mountain.");

        var hits = await memory.SearchAsync("a", "boat");

        Assert.Equal(ArchivalSearchMode.Embeddings, memory.Mode);
        Assert.Equal(["Owns a small boat.", "Plays music and likes a boat trip to the mountain.", "Climbed a mountain last summer, a big mountain."], hits.Select(h => h.Passage.Text));
        Assert.Equal(1.0, hits[0].Score, 5);
    }

    [Fact]
    public async Task Empty_queries_are_refused() =>
        await Assert.ThrowsAsync<SleepTimeValidationException>(() => new ArchivalMemory(new InMemoryArchivalStore()).SearchAsync("a", " "));

    /// <summary>Embeds a text as the counts of a few keywords: enough to know which ranking is right.</summary>
    private sealed class KeywordEmbeddingGenerator(params string[] keywords) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v =>
                new Embedding<float>(keywords.Select(k => (float)Bm25Index<string>.Tokenize(v).Count(t => t == k)).ToArray()))));

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
