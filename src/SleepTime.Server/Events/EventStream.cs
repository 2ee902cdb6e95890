namespace SleepTime.Server;

/// <summary>Which family of streams an event belongs to, so context and agent ids can never cross.</summary>
public enum EventStream
{
    Contexts,
    Agents,
}
