using Microsoft.Extensions.AI;
using SleepTime.Testing;

namespace SleepTime.Agents.Tests.Scheduling;

/// <summary>The coordinator disposes the models it owns (replaced, unregistered, on dispose) and never the ones it was lent.</summary>
public sealed class ModelOwnershipTests
{
    [Fact]
    public async Task A_replaced_owned_model_is_disposed_and_a_lent_one_is_not()
    {
        await using var coordinator = new SleepTimeAgentCoordinator(AgentStores.InMemory());
        var owned = new TrackedChatClient();
        var lent = new TrackedChatClient();

        coordinator.Register("sleeper-1", owned, ownsModel: true);
        coordinator.Register("sleeper-1", lent);
        Assert.True(owned.Disposed);
        Assert.Same(lent, coordinator.ModelOf("sleeper-1"));

        coordinator.Register("sleeper-1", new TrackedChatClient(), ownsModel: true);
        Assert.False(lent.Disposed);
    }

    [Fact]
    public async Task Registering_the_same_owned_model_again_does_not_dispose_it()
    {
        await using var coordinator = new SleepTimeAgentCoordinator(AgentStores.InMemory());
        var owned = new TrackedChatClient();
        coordinator.Register("sleeper-1", owned, ownsModel: true);
        coordinator.Register("sleeper-1", owned, ownsModel: true);
        Assert.False(owned.Disposed);
        Assert.Same(owned, coordinator.ModelOf("sleeper-1"));
    }

    [Fact]
    public async Task Unregister_disposes_an_owned_model_and_forgets_a_lent_one()
    {
        await using var coordinator = new SleepTimeAgentCoordinator(AgentStores.InMemory());
        var owned = new TrackedChatClient();
        var lent = new TrackedChatClient();
        coordinator.Register("owned", owned, ownsModel: true);
        coordinator.Register("lent", lent);

        Assert.True(coordinator.Unregister("owned"));
        Assert.True(coordinator.Unregister("lent"));
        Assert.False(coordinator.Unregister("lent"));

        Assert.True(owned.Disposed);
        Assert.False(lent.Disposed);
        Assert.Null(coordinator.ModelOf("owned"));
        Assert.Null(coordinator.ModelOf("lent"));
    }

    [Fact]
    public async Task Disposing_the_coordinator_disposes_only_the_owned_models()
    {
        var owned = new TrackedChatClient();
        var lent = new TrackedChatClient();
        var coordinator = new SleepTimeAgentCoordinator(AgentStores.InMemory());
        coordinator.Register("owned", owned, ownsModel: true);
        coordinator.Register("lent", lent);
        coordinator.Start();

        await coordinator.DisposeAsync();

        Assert.True(owned.Disposed);
        Assert.False(lent.Disposed);
    }

    [Fact]
    public async Task An_unregistered_agent_fails_visibly_saying_no_model_is_registered()
    {
        var model = new TrackedChatClient();
        await using var world = await Support.AgentWorld.CreateAsync(new ScriptedChatClient());
        world.Coordinator.Register(world.Sleeper.Id, model, ownsModel: true);
        world.Coordinator.Unregister(world.Sleeper.Id);
        await world.TalkAsync("I like tea.");

        var run = await world.RunNowAsync();

        Assert.Equal(SleepTimeRunStatus.Failed, run.Status);
        Assert.Contains("No model is registered", run.Error, StringComparison.Ordinal);
        Assert.True(model.Disposed);
    }

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
