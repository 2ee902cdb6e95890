using System.Reflection;

namespace SleepTime.Bench.Provenance;

/// <summary>The harness's version as built: the assembly's informational version, which carries the git commit.</summary>
public static class CodeVersion
{
    public static string Current { get; } =
        typeof(CodeVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(CodeVersion).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
