namespace SleepTime.Providers;

/// <summary>The DI keys of the two model roles: <c>[FromKeyedServices(ModelRoles.Sleep)] IChatClient</c>.</summary>
public static class ModelRoles
{
    /// <summary>The model that builds learned contexts while idle (the sleep phase).</summary>
    public const string Sleep = "sleep";

    /// <summary>The model that answers queries on a small budget (the test phase).</summary>
    public const string Test = "test";
}
