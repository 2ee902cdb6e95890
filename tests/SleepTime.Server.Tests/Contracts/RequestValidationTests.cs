using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace SleepTime.Server.Tests.Contracts;

/// <summary>Bad bodies, parameters and ids are 4xx problems that say which field and why, in the client's terms.</summary>
public sealed class RequestValidationTests : IAsyncLifetime
{
    private readonly ServerFactory factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Theory]
    [InlineData("/api/contexts", "{\"text\":", "Malformed JSON", "text", "not valid JSON")]
    [InlineData("/api/contexts", "{\"text\":\"a\" \"kind\":\"document\"}", "Malformed JSON", null, "not valid JSON")]
    [InlineData("/api/contexts", "{\"text\":\"a\"} trailing", "Malformed JSON", null, "not valid JSON")]
    [InlineData("/api/contexts", "{\"text\":5}", "Invalid request", "text", "'text' has the wrong type")]
    [InlineData("/api/contexts", "{\"content\":[{\"text\":[]}]}", "Invalid request", "content[0].text", "wrong type")]
    [InlineData("/api/contexts", "{\"text\":\"a\",\"text\":\"b\"}", "Malformed JSON", "text", "duplicate property")]
    [InlineData("/api/contexts", "{\"schedule\":{\"on_change\":true,\"on_change\":false},\"text\":\"a\"}", "Malformed JSON", "schedule.on_change", "duplicate property")]
    [InlineData("/api/contexts", "[1,2]", "Malformed JSON", null, "expected shape")]
    [InlineData("/api/contexts/x/queries", "{\"question\":\"q\",\"budget\":{\"max_tokens\":\"ten\"}}", "Invalid request", "budget.max_tokens", "wrong type")]
    [InlineData("/api/contexts/x/queries", "{\"question\":\"q\",\"budget\":{\"max_tokens\":99999999999999999999}}", "Invalid request", "budget.max_tokens", "out of range")]
    [InlineData("/api/tenants", "{\"id\":\"t\",\"daily_token_cap\":\"lots\"}", "Invalid request", "daily_token_cap", "wrong type")]
    public async Task Malformed_json_is_a_400_problem_that_says_where_and_why(string url, string body, string title, string? field, string detail)
    {
        var problem = await PostAsync(url, body, HttpStatusCode.BadRequest);
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(field == (problem.TryGetProperty("field", out var f) ? f.GetString() : null), problem.ToString());
    }

    [Fact]
    public async Task Outside_development_malformed_json_is_still_a_problem_with_a_detail()
    {
        await using var production = new ServerFactory(settings: new() { ["environment"] = "Production" });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/contexts") { Content = new StringContent("{\"text\":5}", Encoding.UTF8, "application/json") };
        using var response = await production.Client().SendAsync(request);
        var problem = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text", problem.GetProperty("field").GetString());
        Assert.Contains("wrong type", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Production", production.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostEnvironment>().EnvironmentName);
    }

    [Fact]
    public async Task A_missing_body_says_a_json_body_is_needed()
    {
        var problem = await PostAsync("/api/contexts", string.Empty, HttpStatusCode.BadRequest);
        Assert.Contains("JSON body", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415_problem()
    {
        var problem = await PostAsync("/api/contexts", "text=hi", HttpStatusCode.UnsupportedMediaType, "text/plain");
        Assert.True(problem.TryGetProperty("field", out var field) && field.GetString() == "Content-Type", problem.ToString());
        Assert.Contains("application/json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_parameter_of_the_wrong_type_names_the_parameter()
    {
        var response = await factory.Client().GetAsync("/api/contexts?limit=many");
        var problem = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.TryGetProperty("field", out var field) && field.GetString() == "limit", problem.ToString());
        Assert.Equal("'limit' must be an integer; 'many' is not.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/api/contexts", "{\"id\":\".\",\"text\":\"a\"}")]
    [InlineData("/api/contexts", "{\"id\":\"..\",\"text\":\"a\"}")]
    [InlineData("/api/tenants", "{\"id\":\".\"}")]
    [InlineData("/api/tenants", "{\"id\":\"..\"}")]
    public async Task Dot_ids_are_rejected_at_create_because_no_url_can_name_them(string url, string body)
    {
        var problem = await PostAsync(url, body, HttpStatusCode.BadRequest);
        Assert.Equal("id", problem.GetProperty("field").GetString());
        Assert.Contains("cannot be '.' or '..'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a/b", "may contain only")]
    [InlineData("a b", "may contain only")]
    [InlineData("", "1 to 128")]
    public async Task Ids_outside_the_one_grammar_are_rejected_for_every_resource(string id, string detail)
    {
        foreach (var url in new[] { "/api/contexts", "/api/tenants" })
        {
            var problem = await PostAsync(url, JsonSerializer.Serialize(new { id, text = "a" }), HttpStatusCode.BadRequest);
            Assert.Equal("id", problem.GetProperty("field").GetString());
            Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Ids_with_dots_that_route_are_created_read_and_deleted()
    {
        var client = factory.Client();
        await client.PostOkAsync("/api/contexts", new { id = "...", text = "a" });
        await client.PostOkAsync("/api/contexts", new { id = "v1.2", text = "a" });
        foreach (var id in new[] { "...", "v1.2" })
        {
            Assert.Equal(id, (await client.GetOkAsync($"/api/contexts/{id}")).GetProperty("id").GetString());
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/contexts/{id}")).StatusCode);
        }
    }

    private async Task<JsonElement> PostAsync(string url, string body, HttpStatusCode expected, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        using var response = await factory.Client().SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SleepTime.", text, StringComparison.Ordinal);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
