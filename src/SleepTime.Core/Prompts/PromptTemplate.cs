using System.Text;

namespace SleepTime;

/// <summary>A prompt text with <c>{{name}}</c> placeholders, identified by id and version for provenance.</summary>
public sealed record PromptTemplate(string Id, int Version, string Text)
{
    public string Render(params (string Name, string Value)[] values)
    {
        var builder = new StringBuilder(Text);
        foreach (var (name, value) in values)
        {
            builder.Replace("{{" + name + "}}", value);
        }

        return builder.ToString();
    }

    public override string ToString() => $"{Id}.v{Version}";
}
