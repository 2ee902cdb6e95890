using Microsoft.Extensions.DependencyInjection;
using SleepTime.Server;

namespace SleepTime.Client.Tests;

public sealed class RegistrationTests
{
    [Fact]
    public async Task AddSleepTimeClient_resolves_a_client_of_the_server_with_the_key()
    {
        await using var server = await LiveServer.StartAsync();
        using (var owner = await server.TenantClientAsync("registered"))
        {
            await owner.Contexts.CreateDocumentAsync("x = 1.", id: "mine", schedule: new SchedulePolicy { OnChange = false });
        }

        using var admin = server.Client();
        var key = (await admin.Tenants.CreateKeyAsync("registered", "di")).ApiKey;
        var services = new ServiceCollection();
        services.AddSleepTimeClient(server.Url, key);
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<SleepTimeClient>();

        Assert.Equal(["mine"], (await client.Contexts.ListAsync()).Items.Select(c => c.Id));
        Assert.Equal("registered", (await client.Tenants.MeAsync()).Id);
    }
}
