using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SleepTime.Server.Tests.OpenAi;

/// <summary>
/// Generated hostile requests against both facade endpoints, every one of them systematic: each valid seed request
/// with one node (any depth) replaced by each value of another type, removed, or its key duplicated. The model
/// behind the facade is the real provider stack over the fake OpenAI server, so whatever is passed through meets
/// the SDK's own checks. None may get a 5xx, a stream that fails
/// on the server, or a body that leaks a stack trace or an internal name; every refusal is OpenAI's error object.
/// </summary>
public sealed class OpenAiHostileRequestTests : IAsyncLifetime
{
    private FacadeOverFakeModel facade = null!;

    private static readonly JsonNode?[] Substitutes =
    [
        null, 0, -1, 1.5, 1e300, "", " ", "ctx:", new string('x', 5000), true, false,
        new JsonArray(), new JsonObject(), new JsonArray(new JsonArray(new JsonArray())), new JsonArray(1, "a", null),
        new JsonObject { ["type"] = "function" }, new JsonObject { ["role"] = "user" },
    ];

    private static readonly (string Path, string Body)[] Seeds =
    [
        ("/v1/chat/completions", """
            {"model":"ctx:talk","stream":true,"stream_options":{"include_usage":true},"temperature":0.2,"top_p":0.9,"seed":3,"stop":["END"],"max_tokens":40,
             "reasoning_effort":"low","n":1,"verbosity":2,"parallel_tool_calls":true,"tool_choice":{"type":"function","function":{"name":"f"}},
             "response_format":{"type":"json_schema","json_schema":{"name":"a","schema":{"type":"object"},"strict":true}},
             "tools":[{"type":"function","function":{"name":"f","description":"d","parameters":{"type":"object","properties":{}}}}],
             "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Hi"}]},
               {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]},
               {"role":"tool","tool_call_id":"call_1","content":"ok"},{"role":"user","content":"And?","name":"ann"}]}
            """),
        ("/v1/chat/completions", """{"model":"ctx:doc","messages":[{"role":"user","content":"Hi"}],"response_format":{"type":"json_object"},"tool_choice":"auto"}"""),
        ("/v1/responses", """
            {"model":"ctx:talk","stream":true,"instructions":"Be brief.","max_output_tokens":40,"temperature":0.5,"top_p":1,"reasoning":{"effort":"low"},
             "text":{"format":{"type":"json_schema","name":"a","schema":{"type":"object"},"strict":true}},"tool_choice":{"type":"function","name":"f"},
             "tools":[{"type":"function","name":"f","description":"d","parameters":{"type":"object"},"strict":false}],
             "input":[{"role":"user","content":[{"type":"input_text","text":"Hi"}]},{"type":"function_call","call_id":"c1","name":"f","arguments":"{}"},
               {"type":"function_call_output","call_id":"c1","output":"ok"},{"type":"message","role":"user","content":"And?"}]}
            """),
        ("/v1/responses", """{"context_id":"doc","input":"Hi","text":{"format":{"type":"text"}}}"""),
    ];

    public async Task InitializeAsync()
    {
        facade = await FacadeOverFakeModel.StartAsync();
        var client = facade.Http();
        await client.PostOkAsync("/api/contexts", new { id = "talk", kind = "conversation", content = new[] { new { role = "user", text = "Hello." } }, schedule = new { on_change = false } });
        await client.PostOkAsync("/api/contexts", new { id = "doc", text = "A document.", schedule = new { on_change = false } });
    }

    public async Task DisposeAsync() => await facade.DisposeAsync();

    [Fact]
    public async Task No_generated_request_gets_a_5xx_a_failed_stream_or_a_leaky_body()
    {
        var client = facade.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServerFactory.AdminKey);
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        foreach (var (path, body) in Seeds.SelectMany(seed => Mutations(seed.Body).Select(body => (seed.Path, body))))
        {
            using var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var problem = status >= 500 ? "5xx"
                : status >= 400 && !IsErrorObject(text) ? "not an OpenAI error object"
                : text.Contains("server_error", StringComparison.Ordinal) ? "a failure inside a 200"
                : text.Contains("   at ", StringComparison.Ordinal) || text.Contains("Exception", StringComparison.Ordinal) || text.Contains("SleepTime.", StringComparison.Ordinal) ? "a leaky body"
                : null;
            if (problem is not null)
            {
                failures.Add($"{problem}: {status} {path} {body} -> {text[..Math.Min(text.Length, 300)]}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {statuses.Values.Sum()} requests:\n" + string.Join("\n\n", failures.Take(5)) + "\n\nServer errors:\n" + string.Join("\n", facade.Errors.Errors.Take(3)));

        // The generator must reach both sides, or it proves nothing.
        Assert.True(statuses.GetValueOrDefault(200) > 20 && statuses.GetValueOrDefault(400) > 100, string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}")));
    }

    private static bool IsErrorObject(string text)
    {
        try
        {
            var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
            return error.GetProperty("message").ValueKind == JsonValueKind.String && error.GetProperty("type").ValueKind == JsonValueKind.String;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Every single-node mutation of a seed: each substitute in its place, its removal, its key duplicated.</summary>
    private static IEnumerable<string> Mutations(string seed)
    {
        var count = Nodes(JsonNode.Parse(seed)!).Count;
        for (var i = 0; i < count; i++)
        {
            for (var s = 0; s <= Substitutes.Length + 1; s++)
            {
                var root = JsonNode.Parse(seed)!;
                var target = Nodes(root)[i];
                if (s == Substitutes.Length)
                {
                    if (target.Parent is JsonObject parent)
                    {
                        parent.Remove(target.GetPropertyName());
                        yield return root.ToJsonString();
                    }

                    continue;
                }

                if (s == Substitutes.Length + 1)
                {
                    if (target.Parent is JsonObject)
                    {
                        // A duplicate of the target's own key, written into the text where the key first stands.
                        var json = root.ToJsonString();
                        var key = JsonSerializer.Serialize(target.GetPropertyName()) + ":";
                        yield return json.Insert(json.IndexOf(key, StringComparison.Ordinal), key + "1,");
                    }

                    continue;
                }

                var substitute = Substitutes[s]?.DeepClone();
                switch (target.Parent)
                {
                    case JsonObject parent:
                        parent[target.GetPropertyName()] = substitute;
                        yield return root.ToJsonString();
                        break;
                    case JsonArray array:
                        array[array.IndexOf(target)] = substitute;
                        yield return root.ToJsonString();
                        break;
                    default:
                        yield return substitute?.ToJsonString() ?? "null";
                        break;
                }
            }
        }
    }

    private static List<JsonNode> Nodes(JsonNode root)
    {
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        return nodes;
    }

    private static void Collect(JsonNode node, List<JsonNode> nodes)
    {
        nodes.Add(node);
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            Collect(child, nodes);
        }
    }
}
