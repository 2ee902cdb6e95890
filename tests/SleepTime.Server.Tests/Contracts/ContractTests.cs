using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace SleepTime.Server.Tests.Contracts;

/// <summary>
/// The API's contract is its OpenAPI document. Every <see cref="ServerFactory"/> records what it sends and fails its
/// test when a response breaks the document (checked on dispose); these tests check the document itself, and take
/// one tour of every /api operation, successes and problems, checking each response as it goes.
/// </summary>
public sealed class ContractTests
{
    [Fact]
    public async Task Every_api_operation_documents_a_schema_for_each_response_and_every_problem_status()
    {
        var contract = await ContractCheck.ContractAsync();
        var missing = new List<string>();
        var operations = 0;
        foreach (var path in contract.Document.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var name = $"{operation.Name.ToUpperInvariant()} {OpenApiContract.Normalize(path.Name)}";
                operations++;
                var responses = operation.Value.GetProperty("responses");
                if (!OpenApiContract.Untyped.Contains(name) && !responses.EnumerateObject().Any(r => r.Name.StartsWith('2')))
                {
                    missing.Add($"{name}: no success response");
                }

                foreach (var response in responses.EnumerateObject().Where(r => r.Name != "204"))
                {
                    var hasSchema = response.Value.TryGetProperty("content", out var content)
                        && content.EnumerateObject().Any(c => c.Name == "text/event-stream" || c.Value.TryGetProperty("schema", out _));
                    if (!hasSchema)
                    {
                        missing.Add($"{name} {response.Name}: no schema");
                    }
                }

                foreach (var status in ProblemResponses.Statuses)
                {
                    if (!responses.TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var problem)
                        || !problem.GetProperty("content").EnumerateObject().Any(c => c.Name == "application/problem+json" || (status == 409 && c.Name == "application/json")))
                    {
                        missing.Add($"{name} {status}: not a documented problem");
                    }
                }
            }
        }

        Assert.True(operations >= 50, $"only {operations} /api operations documented");
        Assert.Empty(missing);
    }

    [Fact]
    public async Task The_problem_schema_documents_the_field_that_was_wrong()
    {
        var contract = await ContractCheck.ContractAsync();
        var problem = contract.Document.GetProperty("components").GetProperty("schemas").GetProperty("ProblemDetails");
        Assert.True(problem.GetProperty("properties").TryGetProperty("field", out _));
        Assert.True(problem.GetProperty("properties").TryGetProperty("detail", out _));
    }

    [Fact]
    public async Task A_tour_of_every_operation_validates_against_the_document()
    {
        await using var factory = new ServerFactory(settings: new() { ["SleepTime:Server:RateLimitPerSecond"] = "0" });
        var client = factory.Client();
        var anonymous = factory.CreateClient();

        // Contexts, schedules, learned contexts, runs, queries.
        await client.PostOkAsync("/api/contexts", new { id = "tour", text = "x = 3. y = 2x.", schedule = new { on_change = false } });
        await client.PostOkAsync("/api/contexts", new { id = "talk", content = new[] { new { role = "user", text = "hi" } } });
        await Send(client, HttpMethod.Post, "/api/contexts", "{\"id\":\"tour\",\"text\":\"again\"}");
        await Send(client, HttpMethod.Post, "/api/contexts", "{\"id\":\"..\",\"text\":\"x\"}");
        await Send(client, HttpMethod.Post, "/api/contexts", "{\"text\":\"x\",\"text\":\"y\"}");
        await Send(client, HttpMethod.Post, "/api/contexts", "{\"text\":");
        await Send(client, HttpMethod.Post, "/api/contexts", "{\"text\":5}");
        await Send(client, HttpMethod.Post, "/api/contexts", "text", "text/plain");
        await client.GetAsync("/api/contexts?limit=2");
        await client.GetAsync("/api/contexts?limit=0");
        await client.GetAsync("/api/contexts?limit=abc");
        await anonymous.GetAsync("/api/contexts");
        await client.GetAsync("/api/contexts/tour");
        await client.GetAsync("/api/contexts/tour?entries=false");
        await client.GetAsync("/api/contexts/nope");
        await client.GetAsync("/api/contexts/tour/entries?offset=0&limit=1");
        await client.GetAsync("/api/contexts/tour/entries?limit=0");
        await client.GetAsync("/api/contexts/nope/entries");
        await Send(client, HttpMethod.Post, "/api/contexts/tour/append", "{\"text\":\"z = y + 1.\"}");
        await Send(client, HttpMethod.Post, "/api/contexts/nope/append", "{\"text\":\"z\"}");
        await Send(client, HttpMethod.Put, "/api/contexts/talk", "{\"content\":[{\"role\":\"user\",\"text\":\"hello\"}]}");
        await Send(client, HttpMethod.Put, "/api/contexts/talk", "{\"content\":[{\"role\":\"user\"}]}");
        await client.GetAsync("/api/contexts/tour/schedule");
        await Send(client, HttpMethod.Put, "/api/contexts/tour/schedule", "{\"on_change\":false}");
        await Send(client, HttpMethod.Put, "/api/contexts/tour/schedule", "{\"cron\":\"not a cron\"}");
        await Send(client, HttpMethod.Put, "/api/contexts/nope/schedule", "{\"on_change\":false}");
        await client.GetAsync("/api/contexts/tour/learned");
        var run = await client.PostOkAsync("/api/contexts/tour/runs", new { });
        await client.WaitForRunAsync(run.GetProperty("id").GetString()!);
        await client.PostAsync("/api/contexts/nope/runs", null);
        await client.GetAsync("/api/contexts/tour/runs");
        await client.GetAsync("/api/contexts/nope/runs");
        await client.GetAsync("/api/runs");
        await client.GetAsync("/api/runs?status=weird");
        await client.GetAsync("/api/runs?kind=agent&status=succeeded&limit=5");
        await client.GetAsync($"/api/runs/{run.GetProperty("id").GetString()}");
        await client.GetAsync("/api/runs/run_nope");
        await client.PostAsync($"/api/runs/{run.GetProperty("id").GetString()}/cancel", null);
        await client.PostAsync("/api/runs/run_nope/cancel", null);
        await client.GetAsync("/api/contexts/tour/learned");
        await client.GetAsync("/api/contexts/tour/learned/history");
        await client.GetAsync("/api/contexts/tour/learned/1");
        await client.GetAsync("/api/contexts/tour/learned/99");
        await client.GetAsync("/api/contexts/tour/learned/1/provenance");
        await client.GetAsync("/api/contexts/tour/learned/99/provenance");
        await client.GetAsync("/api/contexts/tour/learned/diff?from=1&to=1");
        await client.GetAsync("/api/contexts/tour/learned/diff");
        await client.GetAsync("/api/contexts/tour/learned/diff?from=x&to=1");
        var answer = await client.PostOkAsync("/api/contexts/tour/queries", new { question = "What is y?" });
        await Send(client, HttpMethod.Post, "/api/contexts/tour/queries", "{\"question\":\"\"}");
        await Send(client, HttpMethod.Post, "/api/contexts/tour/queries", "{\"question\":\"q\",\"budget\":{\"verbosity\":9}}");
        await Send(client, HttpMethod.Post, "/api/contexts/nope/queries", "{\"question\":\"q\"}");
        await client.GetAsync("/api/contexts/tour/queries");
        await client.GetAsync("/api/contexts/tour/queries?limit=0");
        await client.GetAsync($"/api/contexts/tour/queries/{answer.GetProperty("id").GetString()}");
        await client.GetAsync("/api/contexts/tour/queries/q_nope");

        // Tenants and keys.
        var tenant = await client.PostOkAsync("/api/tenants", new { id = "acme", name = "Acme" });
        await Send(client, HttpMethod.Post, "/api/tenants", "{\"id\":\".\"}");
        await Send(client, HttpMethod.Post, "/api/tenants", "{\"id\":\"neg\",\"daily_token_cap\":-1}");
        var acme = factory.Client(tenant.GetProperty("api_key").GetString()!);
        await acme.GetAsync("/api/tenants/me");
        await Send(acme, HttpMethod.Post, "/api/tenants", "{\"id\":\"x\"}");
        await Send(acme, HttpMethod.Post, "/api/tenants/me/keys", "{\"name\":\"second\"}");
        var key = await client.PostOkAsync("/api/tenants/acme/keys", new { name = "third" });
        await Send(client, HttpMethod.Post, "/api/tenants/nope/keys", "{}");
        await Send(client, HttpMethod.Patch, "/api/tenants/acme", "{\"daily_token_cap\":1000}");
        await Send(acme, HttpMethod.Patch, "/api/tenants/acme", "{\"daily_token_cap\":1000}");
        await Send(client, HttpMethod.Patch, "/api/tenants/nope", "{\"daily_token_cap\":1}");
        await client.DeleteAsync($"/api/tenants/acme/keys/{key.GetProperty("key_id").GetString()}");
        await client.DeleteAsync("/api/tenants/acme/keys/nope");

        // Blocks, agents, messages, archival, documents, sleep-time agents and runs, change sets.
        var block = await client.PostOkAsync("/api/blocks", new { label = "persona", value = "I help." });
        var blockId = block.GetProperty("id").GetString()!;
        await client.GetAsync("/api/blocks");
        await client.GetAsync("/api/blocks?limit=0");
        await client.GetAsync($"/api/blocks/{blockId}");
        await client.GetAsync("/api/blocks/nope");
        await Send(client, HttpMethod.Put, $"/api/blocks/{blockId}", "{\"value\":\"I help more.\",\"expected_version\":1}");
        await Send(client, HttpMethod.Put, $"/api/blocks/{blockId}", "{\"value\":\"stale\",\"expected_version\":1}");
        await Send(client, HttpMethod.Put, $"/api/blocks/{blockId}", "{\"value\":\"v\"}");
        await client.GetAsync($"/api/blocks/{blockId}/agents");
        await client.GetAsync("/api/blocks/nope/agents");
        var agent = await client.PostOkAsync("/api/agents", new { name = "helper", instructions = "Be brief.", blocks = new[] { new { label = "human", value = "A user." } } });
        var agentId = agent.GetProperty("id").GetString()!;
        await Send(client, HttpMethod.Post, "/api/agents", "{\"name\":\"\"}");
        await client.GetAsync("/api/agents");
        await client.GetAsync($"/api/agents/{agentId}");
        await client.GetAsync("/api/agents/nope");
        await client.GetAsync($"/api/agents/{agentId}/blocks");
        await client.PutAsync($"/api/agents/{agentId}/blocks/{blockId}", null);
        await client.DeleteAsync($"/api/agents/{agentId}/blocks/{blockId}");
        await client.PutAsync($"/api/agents/{agentId}/blocks/nope", null);
        var sleeper = await client.PostOkAsync($"/api/agents/{agentId}/sleeptime-agents", new { every_turns = 1 });
        var sleeperId = sleeper.GetProperty("id").GetString()!;
        await Send(client, HttpMethod.Post, $"/api/agents/{agentId}/sleeptime-agents", "{\"every_turns\":-1}");
        await client.GetAsync($"/api/agents/{agentId}/sleeptime-agents");
        await client.GetAsync($"/api/sleeptime-agents/{sleeperId}");
        await client.GetAsync("/api/sleeptime-agents/nope");
        await Send(client, HttpMethod.Post, $"/api/agents/{agentId}/messages", "{\"message\":\"Hello\"}");
        await Send(client, HttpMethod.Post, $"/api/agents/{agentId}/messages", "{\"message\":\"\"}");
        var stream = await Send(client, HttpMethod.Post, $"/api/agents/{agentId}/messages/stream", "{\"message\":\"Hi again\"}");
        Assert.Equal(HttpStatusCode.OK, stream);
        await client.GetAsync($"/api/agents/{agentId}/messages");
        await client.GetAsync($"/api/agents/{agentId}/messages/search?query=Hello");
        await client.GetAsync($"/api/agents/{agentId}/messages/search");
        var sleepRun = await client.PostOkAsync($"/api/sleeptime-agents/{sleeperId}/runs", new { });
        await client.WaitForRunAsync(sleepRun.GetProperty("id").GetString()!);
        await client.PostAsync("/api/sleeptime-agents/nope/runs", null);
        await client.GetAsync($"/api/agents/{agentId}/sleeptime-runs");
        await client.GetAsync($"/api/agents/{agentId}/sleeptime-runs?status=weird");
        await client.GetAsync($"/api/sleeptime-runs/{sleepRun.GetProperty("id").GetString()}");
        await client.GetAsync("/api/sleeptime-runs/nope");
        var changes = await client.GetOkAsync($"/api/agents/{agentId}/changes");
        await client.GetAsync($"/api/agents/{agentId}/changes?status=weird");
        var changeSetId = changes.EnumerateArray().Select(c => c.GetProperty("id").GetString()).FirstOrDefault() ?? "cs_nope";
        await client.GetAsync($"/api/changes/{changeSetId}");
        await client.GetAsync("/api/changes/cs_nope");
        await client.PostAsync($"/api/changes/{changeSetId}/approve", null);
        await client.PostAsync($"/api/changes/{changeSetId}/reject", null);
        await client.PostAsync($"/api/changes/{changeSetId}/revert", null);
        await client.PostAsync("/api/changes/cs_nope/revert", null);
        await Send(client, HttpMethod.Post, $"/api/agents/{agentId}/archival", "{\"text\":\"The sky is blue.\"}");
        await Send(client, HttpMethod.Post, $"/api/agents/{agentId}/archival", "{\"text\":\"\"}");
        await client.GetAsync($"/api/agents/{agentId}/archival?query=sky");
        await client.GetAsync($"/api/agents/{agentId}/archival");
        await client.GetAsync("/api/agents/nope/archival");
        await Send(client, HttpMethod.Post, $"/api/agents/{agentId}/documents", "{\"title\":\"Notes\",\"text\":\"Some notes.\"}");
        await Send(client, HttpMethod.Post, $"/api/agents/{agentId}/documents", "{\"title\":\"Empty\"}");
        await client.GetAsync($"/api/agents/{agentId}/documents");
        await client.GetAsync("/api/agents/nope/documents");
        await client.GetAsync("/api/usage");
        await client.GetAsync("/api/overview");
        await client.GetAsync("/api/overview?days=0");
        await client.GetAsync("/api/contexts/tour/usage");
        await Send(client, HttpMethod.Post, "/api/contexts/tour/commit", "{\"commit\":\"HEAD\"}");
        await client.GetAsync($"/api/agents/{agentId}/usage");
        await client.GetAsync("/api/agents/nope/usage");
        await client.DeleteAsync("/api/agents/nope");
        await client.DeleteAsync($"/api/agents/{agentId}");
        await client.DeleteAsync("/api/contexts/talk");
        await client.DeleteAsync("/api/contexts/talk");
        await anonymous.GetAsync("/health");
        await anonymous.GetAsync("/ready");

        var recorded = factory.Recorder!.Responses.ToArray();
        var (count, violations) = await ContractCheck.CheckAsync(recorded);
        Assert.Empty(violations);
        var contract = await ContractCheck.ContractAsync();
        var toured = recorded.Select(r => $"{r.Method} {OpenApiContract.Normalize(r.Template)}").ToHashSet();
        var untoured = contract.Operations().Where(o => o.Contains(" /api", StringComparison.Ordinal) && !o.EndsWith("/events", StringComparison.Ordinal) && !toured.Contains(o)).ToList();
        Assert.Empty(untoured);
        Assert.True(count > 100, $"only {count} responses checked");
        Assert.Contains(recorded, r => r.Status == 201);
        Assert.Contains(recorded, r => r.Status == 404 && r.ContentType!.StartsWith("application/problem+json", StringComparison.Ordinal));
    }

    private static async Task<HttpStatusCode> Send(HttpClient client, HttpMethod method, string url, string body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, url) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        using var response = await client.SendAsync(request);
        await response.Content.ReadAsStringAsync();
        return response.StatusCode;
    }
}
