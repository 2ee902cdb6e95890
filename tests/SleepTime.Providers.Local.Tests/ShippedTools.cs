using System.Reflection;
using Microsoft.Extensions.AI;
using SleepTime.Agents;

namespace SleepTime.Providers.Local.Tests;

/// <summary>
/// Every tool the project declares to models: the static <see cref="AITool"/> members (single tools or lists) of
/// the Core and Agents assemblies, public or not, found by reflection so a tool added later is covered too.
/// </summary>
internal static class ShippedTools
{
    public static IReadOnlyList<(string Owner, AIFunctionDeclaration Tool)> All { get; } = Find();

    private static List<(string, AIFunctionDeclaration)> Find()
    {
        const BindingFlags flags = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        var found = new List<(string, AIFunctionDeclaration)>();
        foreach (var assembly in new[] { typeof(SleepTimeEngine).Assembly, typeof(PrimaryAgent).Assembly })
        {
            foreach (var type in assembly.GetTypes().Where(t => !t.ContainsGenericParameters))
            {
                var values = type.GetProperties(flags).Where(p => p.GetIndexParameters().Length == 0).Select(p => (p.Name, p.PropertyType, Get: (Func<object?>)(() => p.GetValue(null))))
                    .Concat(type.GetFields(flags).Select(f => (f.Name, PropertyType: f.FieldType, Get: (Func<object?>)(() => f.GetValue(null)))));
                foreach (var (name, valueType, get) in values)
                {
                    var tools = typeof(AITool).IsAssignableFrom(valueType) ? [get() as AITool]
                        : typeof(IEnumerable<AITool>).IsAssignableFrom(valueType) ? (get() as IEnumerable<AITool>)?.ToArray() ?? []
                        : Array.Empty<AITool?>();
                    foreach (var tool in tools.OfType<AIFunctionDeclaration>())
                    {
                        found.Add(($"{type.FullName}.{name}", tool));
                    }
                }
            }
        }

        return found.DistinctBy(t => (t.Item2.Name, t.Item2.JsonSchema.GetRawText())).ToList();
    }
}
