using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace SleepTime;

/// <summary>
/// An agent's archival memory: passages embedded with <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> and ranked
/// by cosine similarity when a generator is configured, ranked by BM25 when none is.
/// </summary>
public sealed class ArchivalMemory(IArchivalStore store, IEmbeddingGenerator<string, Embedding<float>>? embeddings = null, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    public ArchivalSearchMode Mode => embeddings is null ? ArchivalSearchMode.Lexical : ArchivalSearchMode.Embeddings;

    public async Task<ArchivalPassage> InsertAsync(string agentId, string text, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new SleepTimeValidationException("text", "An archival passage needs some text.");
        }

        ReadOnlyMemory<float>? vector = null;
        if (embeddings is not null)
        {
            vector = (await embeddings.GenerateAsync([text], cancellationToken: cancellationToken).ConfigureAwait(false))[0].Vector;
        }

        var passage = new ArchivalPassage(Ids.New("passage"), agentId, text, time.GetUtcNow(), vector);
        await store.AddAsync(passage, cancellationToken).ConfigureAwait(false);
        return passage;
    }

    public async Task<IReadOnlyList<ArchivalSearchHit>> SearchAsync(string agentId, string query, int limit = 5, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            throw new SleepTimeValidationException("query", "A search needs a query.");
        }

        var passages = await store.ListAsync(agentId, cancellationToken).ConfigureAwait(false);
        if (embeddings is null)
        {
            return new Bm25Index<ArchivalPassage>(passages, p => p.Text)
                .Search(query, limit)
                .Select(hit => new ArchivalSearchHit(hit.Item, hit.Score, ArchivalSearchMode.Lexical))
                .ToList();
        }

        var queryVector = (await embeddings.GenerateAsync([query], cancellationToken: cancellationToken).ConfigureAwait(false))[0].Vector;
        return passages
            .Where(p => p.Embedding is { } e && e.Length == queryVector.Length)
            .Select(p => new ArchivalSearchHit(p, TensorPrimitives.CosineSimilarity(queryVector.Span, p.Embedding!.Value.Span), ArchivalSearchMode.Embeddings))
            .OrderByDescending(h => h.Score)
            .Take(limit)
            .ToList();
    }
}
