using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SleepTime.Providers;
using SleepTime.Storage;
using SleepTime.Testing;
using SleepTime.Testing.OpenAiCompatible;

namespace SleepTime.Server.Tests;

/// <summary>
/// A sleep-time agent's own model is called with a server API key (an environment variable) at any URL, so only an
/// admin may set one, and only with a variable the operator allowed; nothing says whether a variable is set.
/// </summary>
public sealed class SleepTimeModelSecurityTests
{
    [Fact]
    public async Task A_tenant_key_cannot_give_a_sleep_time_agent_its_own_model_and_the_endpoint_receives_nothing()
    {
        var variable = SecretVariable("tenant-secret");
        await using var attacker = await FakeOpenAiServer.StartAsync();
        attacker.Responder = _ => FakeReply.Text("ok");
        await using var factory = new ServerFactory(settings: Allow(variable));
        var tenant = await factory.TenantClientAsync("mallory");
        var (agentId, _) = await tenant.CreateAgentAsync();

        foreach (var model in new object[]
        {
            new { model = "m", provider = "OpenAICompatible", endpoint = attacker.BaseUrl, api_key_environment_variable = variable },
            new { model = "m", provider = "OpenAICompatible", endpoint = attacker.BaseUrl },
            new { model = "m", provider = "OpenAI", api_key_environment_variable = "SLEEPTIME_TEST_DOES_NOT_EXIST" },
        })
        {
            var response = await tenant.PostAsJsonAsync($"/api/agents/{agentId}/sleeptime-agents", new { name = "s", model }, ServerFactory.Json);
            var problem = await response.JsonAsync();
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal(403, problem.GetProperty("status").GetInt32());
            Assert.Contains("admin", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Empty((await tenant.GetOkAsync($"/api/agents/{agentId}/sleeptime-agents")).EnumerateArray());
        await tenant.PostOkAsync($"/api/agents/{agentId}/documents", new { title = "t", text = "some text" });
        await Task.Delay(300);
        Assert.Empty(attacker.Requests);

        // Without a model a tenant still gets a sleep-time agent on the server's "sleep" model.
        await tenant.CreateSleeperAsync(agentId);
    }

    [Fact]
    public async Task An_admin_cannot_name_a_variable_outside_the_allow_list_and_the_answer_does_not_tell_whether_it_is_set()
    {
        var set = SecretVariable("admin-secret");
        await using var fake = await FakeOpenAiServer.StartAsync();
        fake.Responder = _ => FakeReply.Text("ok");
        await using var factory = new ServerFactory(settings: Allow("SLEEPTIME_SOME_OTHER_VARIABLE"));
        var admin = factory.Client();
        var (agentId, _) = await admin.CreateAgentAsync();

        var details = new List<string>();
        foreach (var (variable, provider) in new[] { (set, "OpenAICompatible"), ("SLEEPTIME_TEST_DOES_NOT_EXIST", "OpenAICompatible"), (set, "OpenAI"), ("SLEEPTIME_TEST_DOES_NOT_EXIST", "OpenAI") })
        {
            var model = new { model = "m", provider, endpoint = fake.BaseUrl, api_key_environment_variable = variable };
            var response = await admin.PostAsJsonAsync($"/api/agents/{agentId}/sleeptime-agents", new { name = "s", model }, ServerFactory.Json);
            var problem = await response.JsonAsync();
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var detail = problem.GetProperty("detail").GetString()!;
            Assert.Contains("not allowed", detail, StringComparison.Ordinal);
            Assert.Contains("AllowedApiKeyVariables", detail, StringComparison.Ordinal);
            Assert.DoesNotContain("not set", detail, StringComparison.OrdinalIgnoreCase);
            details.Add(detail.Replace(variable, "VAR", StringComparison.Ordinal));
        }

        Assert.Single(details.Distinct()); // a set and an unset variable get the same answer
        Assert.Empty((await admin.GetOkAsync($"/api/agents/{agentId}/sleeptime-agents")).EnumerateArray());
        await admin.PostOkAsync($"/api/agents/{agentId}/documents", new { title = "t", text = "some text" });
        await Task.Delay(300);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task With_the_default_empty_allow_list_every_key_variable_is_refused()
    {
        await using var factory = new ServerFactory();
        var admin = factory.Client();
        var (agentId, _) = await admin.CreateAgentAsync();
        var response = await admin.PostAsJsonAsync(
            $"/api/agents/{agentId}/sleeptime-agents",
            new { name = "s", model = new { model = "m", provider = "OpenAI", api_key_environment_variable = "OPENAI_API_KEY" } },
            ServerFactory.Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("model.api_key_environment_variable", (await response.JsonAsync()).GetProperty("field").GetString());
        Assert.Empty((await admin.GetOkAsync($"/api/agents/{agentId}/sleeptime-agents")).EnumerateArray());
    }

    [Fact]
    public async Task An_admin_with_an_allowed_variable_gets_a_sleep_time_agent_that_calls_its_endpoint_with_that_key()
    {
        var secret = "allowed-" + Guid.NewGuid().ToString("N");
        var variable = SecretVariable(secret);
        await using var fake = await FakeOpenAiServer.StartAsync();
        fake.Responder = _ => FakeReply.Text("ok");
        await using var factory = new ServerFactory(settings: Allow(variable));
        var admin = factory.Client();
        var (agentId, _) = await admin.CreateAgentAsync();

        var sleeperId = await admin.CreateSleeperAsync(agentId, new
        {
            name = "own",
            every_turns = 0,
            model = new { model = "fake-model", provider = "OpenAICompatible", endpoint = fake.BaseUrl, api_key_environment_variable = variable },
        });
        await admin.SendAsync(agentId, "I moved to Bergen.");
        var run = await admin.WaitForSleepTimeRunAsync((await admin.TriggerAsync(sleeperId)).GetProperty("id").GetString()!);

        Assert.True(fake.Requests.Count > 0, run.ToString());
        Assert.All(fake.Requests, r => Assert.Equal("Bearer " + secret, r.Header("Authorization")));
    }

    [Fact]
    public async Task Sleep_time_agents_with_the_same_model_share_one_client()
    {
        await using var fake = await FakeOpenAiServer.StartAsync();
        fake.Responder = _ => FakeReply.Text("ok");
        await using var factory = new ServerFactory();
        var admin = factory.Client();
        var (agentId, _) = await admin.CreateAgentAsync();
        var model = new { model = "fake-model", provider = "OpenAICompatible", endpoint = fake.BaseUrl };
        var first = await admin.CreateSleeperAsync(agentId, new { name = "one", every_turns = 0, model });
        var second = await admin.CreateSleeperAsync(agentId, new { name = "two", every_turns = 0, model });
        var plain = await admin.CreateSleeperAsync(agentId, new { name = "plain", every_turns = 0 });

        var resolver = factory.Services.GetRequiredService<SleepTimeModelResolver>();
        var agents = factory.Services.GetRequiredService<TenantStores>().Agents(ServerStartup.DefaultTenant).Agents;
        var modelOf = async (string sleeperId) => resolver.SleepTime(await agents.GetModelAsync(sleeperId));
        Assert.NotNull(await modelOf(first));
        Assert.Equal(1, resolver.CachedClients);
        Assert.Same(await modelOf(first), await modelOf(second));
        Assert.Same(factory.SleepModel, await modelOf(plain));

        var third = await admin.CreateSleeperAsync(agentId, new { name = "three", every_turns = 0, model = model with { model = "other-model" } });
        Assert.NotSame(await modelOf(first), await modelOf(third));
        Assert.Equal(2, resolver.CachedClients);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/agents/{agentId}")).StatusCode);
        Assert.Null(await agents.GetSleepTimeAgentAsync(first)); // its runs and model go with it; the cached client serves others
    }

    [Fact]
    public void The_resolver_caches_one_client_per_endpoint_and_disposes_only_those_it_created()
    {
        var keyedSleep = new TrackedChatClient();
        using var services = new ServiceCollection().AddKeyedSingleton<IChatClient>(ModelRoles.Sleep, keyedSleep).BuildServiceProvider();
        var created = new List<TrackedChatClient>();
        var resolver = new SleepTimeModelResolver(
            services,
            Options.Create(new AgentServerOptions { AllowedApiKeyVariables = ["SLEEPTIME_ALLOWED"] }),
            NullLoggerFactory.Instance,
            TimeProvider.System,
            _ =>
            {
                var client = new TrackedChatClient();
                created.Add(client);
                return client;
            });
        var endpoint = new Uri("http://localhost:9/v1/");
        var settings = new SleepTimeModelSettings("m", "OpenAICompatible", endpoint, "SLEEPTIME_ALLOWED");

        var a = resolver.SleepTime(settings);
        var b = resolver.SleepTime(settings with { });
        var c = resolver.SleepTime(settings with { Model = "n" });
        var d = resolver.SleepTime(settings with { ApiKeyEnvironmentVariable = null });
        Assert.Same(a, b);
        Assert.NotSame(a, c);
        Assert.NotSame(a, d);
        Assert.Equal(3, created.Count);
        Assert.Same(keyedSleep, resolver.SleepTime(null));
        Assert.Throws<SleepTimeValidationException>(() => resolver.SleepTime(settings with { ApiKeyEnvironmentVariable = "OPENAI_API_KEY" }));

        resolver.Dispose();

        Assert.All(created, client => Assert.True(client.Disposed));
        Assert.False(keyedSleep.Disposed);
        Assert.Throws<ObjectDisposedException>(() => resolver.SleepTime(settings));
    }

    private static string SecretVariable(string value)
    {
        var name = "SLEEPTIME_TEST_SECRET_" + Guid.NewGuid().ToString("N").ToUpperInvariant();
        Environment.SetEnvironmentVariable(name, value);
        return name;
    }

    private static Dictionary<string, string?> Allow(string variable) => new() { ["SleepTime:Agents:AllowedApiKeyVariables:0"] = variable };

    private sealed class TrackedChatClient() : DelegatingChatClient(new ScriptedChatClient())
    {
        public bool Disposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
