namespace SleepTime;

public enum ArchivalSearchMode
{
    Embeddings,
    Lexical,
}
