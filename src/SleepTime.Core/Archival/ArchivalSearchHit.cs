namespace SleepTime;

/// <summary>A passage and how well it matched: cosine similarity with embeddings, a BM25 score without.</summary>
public sealed record ArchivalSearchHit(ArchivalPassage Passage, double Score, ArchivalSearchMode Mode);
