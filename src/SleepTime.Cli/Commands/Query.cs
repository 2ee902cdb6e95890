namespace SleepTime.Cli.Commands;

/// <summary>A query string from the parameters that have a value.</summary>
internal static class Query
{
    public static string Of(params (string Name, string? Value)[] parameters)
    {
        var set = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return set.Count == 0 ? string.Empty : "?" + string.Join('&', set);
    }
}
