using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace SleepTime.Bench.Reports;

/// <summary>
/// <c>report.html</c> beside <c>report.md</c>: the same report, every table and every figure, readable in a browser
/// without a Markdown viewer. It converts the subset of Markdown the report writes (headings, tables, lists, block
/// quotes, images, paragraphs, inline code and bold); figures are linked from <c>plots/</c>.
/// </summary>
public static partial class HtmlReport
{
    public const string FileName = "report.html";

    public static string Render(string markdown, string title = "Sleep-time compute benchmark")
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>").AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine($"<title>{WebUtility.HtmlEncode(title)}</title>");
        html.AppendLine("<style>body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;line-height:1.45}" +
            "table{border-collapse:collapse;margin:1em 0;font-size:0.9em}th,td{border:1px solid #ccc;padding:0.3em 0.6em}th{background:#f3f3f3}" +
            "td.num{text-align:right;font-variant-numeric:tabular-nums}blockquote{border-left:4px solid #e0a800;background:#fff8e1;margin:1em 0;padding:0.5em 1em}" +
            "img{max-width:100%;border:1px solid #eee}code{background:#f5f5f5;padding:0 0.2em}</style></head><body>");
        var lines = markdown.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith('|'))
            {
                var rows = new List<string>();
                while (i < lines.Length && lines[i].StartsWith('|'))
                {
                    rows.Add(lines[i++]);
                }

                i--;
                Table(html, rows);
            }
            else if (line.StartsWith("- ", StringComparison.Ordinal))
            {
                html.AppendLine("<ul>");
                while (i < lines.Length && lines[i].StartsWith("- ", StringComparison.Ordinal))
                {
                    html.AppendLine($"<li>{Inline(lines[i++][2..])}</li>");
                }

                i--;
                html.AppendLine("</ul>");
            }
            else if (Heading().Match(line) is { Success: true } heading)
            {
                var level = heading.Groups[1].Value.Length;
                html.AppendLine($"<h{level}>{Inline(heading.Groups[2].Value)}</h{level}>");
            }
            else if (line.StartsWith("> ", StringComparison.Ordinal))
            {
                html.AppendLine($"<blockquote>{Inline(line[2..])}</blockquote>");
            }
            else if (Image().Match(line.Trim()) is { Success: true } image)
            {
                var source = WebUtility.HtmlEncode(image.Groups[2].Value);
                html.AppendLine($"<figure><a href=\"{source}\"><img src=\"{source}\" alt=\"{WebUtility.HtmlEncode(image.Groups[1].Value)}\"></a><figcaption>{WebUtility.HtmlEncode(image.Groups[1].Value)}</figcaption></figure>");
            }
            else if (line.Trim().Length > 0)
            {
                html.AppendLine($"<p>{Inline(line.TrimEnd())}</p>");
            }
        }

        html.AppendLine("</body></html>");
        return html.ToString();
    }

    private static void Table(StringBuilder html, List<string> rows)
    {
        static string[] Cells(string row) => row.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
        var header = Cells(rows[0]);
        var alignRight = rows.Count > 1 ? Cells(rows[1]).Select(c => c.EndsWith(':')).ToArray() : [];
        html.AppendLine("<table><thead><tr>" + string.Concat(header.Select(h => $"<th>{Inline(h)}</th>")) + "</tr></thead><tbody>");
        foreach (var row in rows.Skip(2))
        {
            var cells = Cells(row);
            html.AppendLine("<tr>" + string.Concat(cells.Select((c, i) => i < alignRight.Length && alignRight[i] ? $"<td class=\"num\">{Inline(c)}</td>" : $"<td>{Inline(c)}</td>")) + "</tr>");
        }

        html.AppendLine("</tbody></table>");
    }

    private static string Inline(string text)
    {
        var encoded = WebUtility.HtmlEncode(text);
        encoded = Code().Replace(encoded, "<code>$1</code>");
        return Bold().Replace(encoded, "<strong>$1</strong>");
    }

    [GeneratedRegex(@"^(#{1,4}) (.+)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^!\[([^\]]*)\]\(([^)]+)\)$")]
    private static partial Regex Image();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex Code();

    [GeneratedRegex(@"\*\*([^*]+)\*\*")]
    private static partial Regex Bold();
}
