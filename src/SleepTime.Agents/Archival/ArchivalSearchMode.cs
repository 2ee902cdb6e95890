namespace SleepTime.Agents;

public enum ArchivalSearchMode
{
    Embeddings,
    Lexical,
}
